# One image per service, built from this repository:
#   docker build --build-arg MODULE=gateway-service -t eventpipe/gateway-service .
# docker-compose.yml builds all of them.
FROM eclipse-temurin:25-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl ${MODULE} -am -DskipTests -Dspotless.check.skip=true package \
 && mkdir -p /out/graal \
 && cp ${MODULE}/target/${MODULE}-exec.jar /out/app.jar \
 && if [ -d ${MODULE}/target/graal ]; then cp ${MODULE}/target/graal/*.jar /out/graal/; fi \
 && if [ -f ${MODULE}/jvm-flags.txt ]; then sed 's#${GRAAL_DIR}#/app/graal#g' ${MODULE}/jvm-flags.txt | grep -v '^#' > /out/jvm-flags; else touch /out/jvm-flags; fi

FROM eclipse-temurin:25-jre
WORKDIR /app
COPY --from=build /out/ /app/
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS $(cat /app/jvm-flags | tr '\\n' ' ') -jar /app/app.jar"]
