#!/usr/bin/env bash
# Prints a signed bearer token for local use: dev mode (./mvnw quarkus:dev), the compose stack, or
# any process started with MP_JWT_VERIFY_PUBLICKEY_LOCATION pointing at the matching public key.
#
#   docs/dev-token.sh [TENANT] [GROUPS] [SUBJECT]
#   TOKEN=$(docs/dev-token.sh acme court-user,court-admin)
#   curl -H "Authorization: Bearer $TOKEN" localhost:8080/api/v1/jobs
#
# Signs with $KEY, by default the committed TEST-ONLY private key, which is public: tokens made
# with it are worthless anywhere that (rightly) does not trust its public half. Only openssl needed.
set -euo pipefail

tenant=${1:-acme}
groups=${2:-court-user}
subject=${3:-dev@$tenant}
key=${KEY:-$(dirname "$0")/../src/test/resources/auth/TEST-ONLY-jwt-private-key.pem}
issuer=${ISSUER:-https://court-docs.invalid/test-issuer}
lifetime=${LIFETIME:-3600}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
groups_json=$(printf '"%s",' ${groups//,/ }); groups_json="[${groups_json%,}]"
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","sub":"%s","tenant":"%s","groups":%s,"iat":%d,"exp":%d}' \
    "$issuer" "$subject" "$tenant" "$groups_json" "$now" "$((now + lifetime))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
