# The drill CLI (engine, replay, validate, demo) as an image. Build: docker build -t drill .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /opt/drill
COPY --from=build /src/cli/target/drill-cli.jar /opt/drill/drill-cli.jar
COPY --from=build /src/cli/target/lib /opt/drill/lib
COPY plans /opt/drill/plans
# the collector options of the drill script (see there and BENCHMARKS.md), for a 512 MB heap
ENTRYPOINT ["java", "-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:NewRatio=1", "-XX:SurvivorRatio=4", "-cp", "/opt/drill/drill-cli.jar:/opt/drill/lib/*", "io.failoverdrill.cli.DrillCli"]
CMD ["--help"]
