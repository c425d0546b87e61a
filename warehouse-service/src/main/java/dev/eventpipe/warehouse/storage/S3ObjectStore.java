package dev.eventpipe.warehouse.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, S3Mock...) through the AWS SDK for Java v2, under an
 * optional key prefix. A put is one PutObject (S3 makes an object visible whole). Credentials are the configured
 * access key, else the SDK's default chain (environment, profile, instance role).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ObjectStore(StorageSettings.S3 settings) {
        if (settings.bucket().isBlank()) throw new IllegalArgumentException("S3 storage needs a bucket");
        this.bucket = settings.bucket();
        String p = settings.prefix().replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        AwsCredentialsProvider credentials = settings.accessKeyId().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.pathStyle())
                        .build());
        if (!settings.endpoint().isBlank()) builder.endpointOverride(URI.create(settings.endpoint()));
        this.s3 = builder.build();
    }

    @Override
    public void put(String key, Path file) throws IOException {
        ObjectStore.checkKey(key);
        call(() -> s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromFile(file)));
    }

    @Override
    public InputStream open(String key) throws IOException {
        ObjectStore.checkKey(key);
        return call(() -> s3.getObject(b -> b.bucket(bucket).key(prefix + key)));
    }

    @Override
    public List<StoredObject> list(String keyPrefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        call(() -> {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix))
                    .contents())
                out.add(new StoredObject(o.key().substring(prefix.length()), o.size(), o.lastModified()));
            return null;
        });
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectStore.checkKey(key);
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + key)));
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException("S3: " + e.getMessage(), e);
        }
    }
}
