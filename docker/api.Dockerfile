# syntax=docker/dockerfile:1
# court-docs, API role: REST on 8080, health and metrics on 9000, publishes jobs to RabbitMQ. No browser in this image.
# Build from the repo root:  docker build -f docker/api.Dockerfile -t court-docs-api .

############################ build ############################
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Wrapper and pom first so the Maven cache mount is reused while only sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# The cache mount keeps ~/.m2 (and the wrapper's Maven download) between builds without
# putting it in any layer. Tests run in CI (.ci/run), not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B package -DskipTests

############################ runtime ############################
FROM eclipse-temurin:17-jre
# Fixed numeric uid/gid: Kubernetes' runAsNonRoot can only verify a numeric USER.
RUN groupadd --system --gid 10001 courtdocs \
 && useradd --system --uid 10001 --gid courtdocs --home-dir /home/courtdocs --create-home \
        --shell /usr/sbin/nologin courtdocs
WORKDIR /deployments
# The fast-jar layout: lib/ changes least, app/ and quarkus/ most, so copy in that order.
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/lib/ ./lib/
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/app/ ./app/
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/quarkus/ ./quarkus/

# Heap as a share of the container memory limit; exit (and get restarted) on OOM rather than
# limp on. Override JAVA_OPTS at deploy time to tune.
ENV COURT_ROLE=api \
    LANG=C.UTF-8 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager"

USER 10001:10001
# REST (/api/v1, /q/openapi) on 8080; management (/q/health/live, /q/health/ready, /q/metrics) on 9000.
EXPOSE 8080 9000
# The JVM is PID 1 here (exec): it handles SIGTERM itself and spawns no children to reap.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
