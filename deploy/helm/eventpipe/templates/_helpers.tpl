{{/*
The services: values key -> Kubernetes name, Maven module (= image name) and HTTP port. Adding a service is one
line here, one block in values.yaml (and values.schema.json) and its environment in "eventpipe.env" below.
*/}}
{{- define "eventpipe.components" -}}
configBackend: {name: config-backend, module: config-backend, port: 5000}
transformer: {name: transformer, module: transformer-service, port: 9090}
gateway: {name: gateway, module: gateway-service, port: 8080}
processor: {name: processor, module: processor-service, port: 8086}
router: {name: router, module: router-service, port: 8087}
warehouse: {name: warehouse, module: warehouse-service, port: 8082}
{{- end }}

{{- define "eventpipe.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "eventpipe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: eventpipe
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "name" "gateway") */}}
{{- define "eventpipe.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "eventpipe.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if eq $tag "latest" }}{{ fail "image.tag: name a version, not latest" }}{{ end -}}
{{ printf "%s/%s:%s" .root.Values.image.registry .module $tag }}
{{- end }}

{{- define "eventpipe.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "eventpipe.fullname" .)) -}}
{{- end }}

{{- define "eventpipe.url" -}}
http://{{ include "eventpipe.fullname" .root }}-{{ .name }}:{{ .port }}
{{- end }}

{{- define "eventpipe.secretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef: {name: {{ include "eventpipe.secretName" .root }}, key: {{ .key }}}
{{- end }}

{{/* The database variables (JOBS_DB_*) from the chosen PostgreSQL. */}}
{{- define "eventpipe.dbEnv" -}}
{{- $pg := .Values.postgresql -}}
{{- if eq $pg.mode "bundled" }}
- {name: JOBS_DB_HOST, value: {{ include "eventpipe.fullname" . }}-postgresql}
- {name: JOBS_DB_PORT, value: "5432"}
- {name: JOBS_DB_DB_NAME, value: eventpipe}
- {name: JOBS_DB_USER, value: eventpipe}
- name: JOBS_DB_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ include "eventpipe.fullname" . }}-postgresql, key: password}
{{- else if eq $pg.mode "external" }}
{{- if not $pg.external.dsn }}{{ fail "postgresql.external.dsn is required with postgresql.mode=external" }}{{ end }}
{{- if not $pg.external.existingSecret }}{{ fail "postgresql.external.existingSecret (the password) is required with postgresql.mode=external" }}{{ end }}
{{- $u := urlParse $pg.external.dsn }}
{{- $hostPort := splitList ":" $u.host }}
{{- $query := $u.query | default "" }}
- {name: JOBS_DB_HOST, value: {{ first $hostPort | quote }}}
- {name: JOBS_DB_PORT, value: {{ (ternary (last $hostPort) "5432" (eq (len $hostPort) 2)) | quote }}}
- {name: JOBS_DB_DB_NAME, value: {{ trimPrefix "/" $u.path | quote }}}
- {name: JOBS_DB_USER, value: {{ (split ":" $u.userinfo)._0 | quote }}}
{{- range splitList "&" $query }}
{{- if hasPrefix "sslmode=" . }}
- {name: JOBS_DB_SSL_MODE, value: {{ trimPrefix "sslmode=" . | quote }}}
{{- end }}
{{- end }}
- name: JOBS_DB_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $pg.external.existingSecret }}, key: {{ $pg.external.passwordKey }}}
{{- else if eq $pg.mode "cloudnativepg" }}
{{- if not $pg.cloudnativepg.cluster }}{{ fail "postgresql.cloudnativepg.cluster is required with postgresql.mode=cloudnativepg" }}{{ end }}
{{- $secret := printf "%s-app" $pg.cloudnativepg.cluster }}
{{- range $env, $key := dict "JOBS_DB_HOST" "host" "JOBS_DB_PORT" "port" "JOBS_DB_DB_NAME" "dbname" "JOBS_DB_USER" "username" "JOBS_DB_PASSWORD" "password" }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ $key }}}
{{- end }}
{{- else }}
{{- fail "postgresql.mode must be bundled, external or cloudnativepg" }}
{{- end }}
{{- end }}

{{/* The environment of one component: only what that service needs (no database password in the transformer,
     no CONFIG_SECRET_KEY outside the config backend). (dict "root" $ "key" "gateway") */}}
{{- define "eventpipe.env" -}}
{{- $root := .root -}}
{{- $c := index (include "eventpipe.components" $root | fromYaml) .key -}}
{{- $transformer := include "eventpipe.url" (dict "root" $root "name" "transformer" "port" 9090) -}}
{{- $configBackend := include "eventpipe.url" (dict "root" $root "name" "config-backend" "port" 5000) -}}
- {name: SPRING_CONFIG_ADDITIONAL_LOCATION, value: "optional:file:/etc/eventpipe/config.yaml"}
{{- if ne .key "transformer" }}
{{ include "eventpipe.dbEnv" $root }}
{{- end }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "WORKSPACE_TOKEN") }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "SERVICE_TOKEN") }}
{{- if ne .key "configBackend" }}
- {name: CONFIG_BACKEND_URL, value: {{ $configBackend | quote }}}
{{- end }}
{{- if has .key (list "processor" "router" "configBackend") }}
- {name: DEST_TRANSFORM_URL, value: {{ $transformer | quote }}}
{{- end }}
{{- if has .key (list "router" "transformer" "configBackend" "warehouse") }}
- {name: EGRESS_ALLOW, value: {{ $root.Values.egress.allow | quote }}}
- {name: EGRESS_DENY_PRIVATE, value: {{ $root.Values.egress.denyPrivate | quote }}}
{{- /* the suite's own services, which no destination may reach (their ClusterIPs are private addresses) */}}
{{- $internal := list (printf "%s-postgresql" (include "eventpipe.fullname" $root)) }}
{{- range $k, $c := include "eventpipe.components" $root | fromYaml }}
{{- $internal = append $internal (printf "%s-%s" (include "eventpipe.fullname" $root) $c.name) }}
{{- end }}
- {name: EGRESS_INTERNAL_HOSTS, value: {{ join "," $internal | quote }}}
{{- end }}
{{- if eq .key "configBackend" }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "ADMIN_EMAIL") }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "ADMIN_PASSWORD") }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "CONFIG_SECRET_KEY") }}
{{ include "eventpipe.secretEnv" (dict "root" $root "key" "DEMO_WRITE_KEY") }}
- {name: SEED_DEMO_WORKSPACE, value: {{ $root.Values.configBackend.seedWorkspace | quote }}}
- {name: ROUTER_ADMIN_URL, value: {{ include "eventpipe.url" (dict "root" $root "name" "router" "port" 8087) | quote }}}
- {name: PROCESSOR_ADMIN_URL, value: {{ include "eventpipe.url" (dict "root" $root "name" "processor" "port" 8086) | quote }}}
- {name: WAREHOUSE_ADMIN_URL, value: {{ include "eventpipe.url" (dict "root" $root "name" "warehouse" "port" 8082) | quote }}}
{{- end }}
{{- if eq .key "transformer" }}
{{- /* 40 % of the limit for the heap: the JIT and the processes of struck transformations need the rest */}}
- {name: JAVA_OPTS, value: "-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"}
{{- end }}
{{- if eq .key "processor" }}
- name: PROCESSOR_INSTANCE_ID
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
{{- end }}
{{- if has .key (list "router" "warehouse") }}
- name: INSTANCE_ID
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
{{- end }}
{{- if eq .key "warehouse" }}
- {name: WAREHOUSE_WORKDIR, value: /data/work}
- {name: WAREHOUSE_STAGING_STORAGE_LOCALDIR, value: /data/staging}
- {name: WAREHOUSE_ARCHIVE_STORAGE_LOCALDIR, value: /data/archive}
{{- end }}
{{- range $name, $value := (index $root.Values .key).env }}
- {name: {{ $name }}, value: {{ $value | toString | quote }}}
{{- end }}
{{- end }}
