# syntax=docker/dockerfile:1
# court-docs, worker role: consumes jobs from RabbitMQ and drives Debian's Chromium via Playwright.
# Build from the repo root:  docker build -f docker/worker.Dockerfile -t court-docs-worker .

############################ build ############################
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B package -DskipTests

############################ JRE ############################
# Same Temurin JRE as the API image; its binaries are portable across glibc distributions.
FROM eclipse-temurin:17-jre AS jre

############################ runtime ############################
# Debian, not the Ubuntu-based Temurin image: Debian ships Chromium as a real .deb (Ubuntu
# only as a snap), and Playwright may not download a browser of its own in our environments.
FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk

# chromium: the browser Playwright drives (COURT_BROWSER_EXECUTABLE below).
# fonts-noto-cjk: court pages and PDFs are Chinese; without CJK fonts they render as boxes.
# tini: PID 1 that reaps Chromium's orphaned helper processes (zombies) and forwards SIGTERM.
# curl: for the container health check in docker/compose.yml.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk tini curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 courtdocs \
 && useradd --system --uid 10001 --gid courtdocs --home-dir /home/courtdocs --create-home \
        --shell /usr/sbin/nologin courtdocs
WORKDIR /deployments
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/lib/ ./lib/
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/app/ ./app/
COPY --from=build --chown=10001:10001 /src/target/quarkus-app/quarkus/ ./quarkus/

# Chromium comes from Debian; Playwright must never try to fetch its own browser.
# Chromium lives outside the Java heap (a few hundred MB per browser, one browser per slot, plus
# Playwright's Node driver), so the heap gets a much smaller share of the limit than on the API.
# C1 only (TieredStopAtLevel=1): a worker mostly waits on portals, and C2 compiling the Quarkus,
# Hibernate and PDFBox paths took 43-44 % of its CPU in a burst after 20 jobs and still 27 %
# after 600 (bench, 4 slots, 2 cores), costing the jobs time and 100-200 MB of PSS. C1 code took
# about 13 % more CPU per job than C2's without the compiling (one run), and C2 had not finished
# compiling after 800 jobs there.
ENV COURT_ROLE=worker \
    COURT_BROWSER_EXECUTABLE=/usr/bin/chromium \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    LANG=C.UTF-8 \
    JAVA_OPTS="-XX:MaxRAMPercentage=35 -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager"

USER 10001:10001
# Management interface: /q/health/live, /q/health/ready, /q/metrics. The worker serves no REST.
EXPOSE 9000
# tini forwards SIGTERM to the JVM only (not -g: the JVM closes its browsers itself while it
# drains jobs) and reaps zombies; -s makes it a subreaper so this also holds when it is not
# PID 1 (compose init: true puts docker-init in front of it).
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
