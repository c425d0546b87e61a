package dev.eventpipe.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.util.Map;

/**
 * Checks one manifest against the Kubernetes API schema, through the models that Kubernetes' Java client generates
 * from the API's OpenAPI document (client-java-api 24 = Kubernetes 1.32): {@code validateJsonElement} refuses a
 * field the schema does not have, a required field that is missing and a wrong JSON type, at every level.
 */
final class KubernetesSchema {
    private static final Gson GSON = new Gson();

    private record Kind(String apiVersion, Validator validator) {}

    @FunctionalInterface
    private interface Validator {
        void validate(JsonElement json) throws IOException;
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "Deployment", new Kind("apps/v1", V1Deployment::validateJsonElement),
            "StatefulSet", new Kind("apps/v1", V1StatefulSet::validateJsonElement),
            "Service", new Kind("v1", V1Service::validateJsonElement),
            "ConfigMap", new Kind("v1", V1ConfigMap::validateJsonElement),
            "Secret", new Kind("v1", V1Secret::validateJsonElement),
            "PersistentVolumeClaim", new Kind("v1", V1PersistentVolumeClaim::validateJsonElement),
            "HorizontalPodAutoscaler", new Kind("autoscaling/v2", V2HorizontalPodAutoscaler::validateJsonElement),
            "PodDisruptionBudget", new Kind("policy/v1", V1PodDisruptionBudget::validateJsonElement),
            "NetworkPolicy", new Kind("networking.k8s.io/v1", V1NetworkPolicy::validateJsonElement),
            "Ingress", new Kind("networking.k8s.io/v1", V1Ingress::validateJsonElement));

    private KubernetesSchema() {}

    /** Throws with the reason when the manifest does not fit the schema of its kind (or its kind is unknown). */
    static void validate(Map<String, Object> manifest) {
        String kind = String.valueOf(manifest.get("kind"));
        Kind expected = KINDS.get(kind);
        if (expected == null) throw new IllegalArgumentException("no schema for kind " + kind);
        if (!expected.apiVersion().equals(manifest.get("apiVersion"))) {
            throw new IllegalArgumentException(
                    kind + " must be " + expected.apiVersion() + ", not " + manifest.get("apiVersion"));
        }
        try {
            expected.validator().validate(GSON.toJsonTree(manifest));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(kind + " " + name(manifest) + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> manifest) {
        return String.valueOf(((Map<String, Object>) manifest.get("metadata")).get("name"));
    }
}
