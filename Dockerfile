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
# The JVM options of the drill script, for a 512 MB heap (see there, and the git log for why). DRILL_JAVA_OPTS replaces
# them: docker-compose.yml gives the sim and the probes G1's own sizing, since a young generation fixed at half the
# heap only pays off for the engine's batches.
ENV DRILL_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC -XX:NewRatio=1 -XX:SurvivorRatio=4"
ENTRYPOINT ["sh", "-c", "exec java $DRILL_JAVA_OPTS -cp '/opt/drill/drill-cli.jar:/opt/drill/lib/*' io.failoverdrill.cli.DrillCli \"$@\"", "drill"]
CMD ["--help"]
