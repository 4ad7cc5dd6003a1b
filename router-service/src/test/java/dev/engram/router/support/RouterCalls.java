package dev.engram.router.support;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls the router under test as an LLM client would, with the JDK's HTTP client (the provider URL rides in the path
 * verbatim, which REST Assured would rewrite).
 */
public final class RouterCalls {

    /** The Engram key of the test profile. */
    public static final String ENGRAM_KEY = "test-key";

    /** The provider key the client sends; the router must pass it on untouched. */
    public static final String PROVIDER_KEY = "sk-provider-secret-123";

    /** HTTP/1.1, as the providers' SDKs speak it (the JDK client would otherwise upgrade to h2c). */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RouterCalls() {}

    /** {@code /v3/<providerUrl>/chat/completions}. */
    public static String chatPath(String providerUrl) {
        return "/v3/" + providerUrl + "/chat/completions";
    }

    /** {@code /v3/<providerUrl>/messages}. */
    public static String messagesPath(String providerUrl) {
        return "/v3/" + providerUrl + "/messages";
    }

    /** A POST with a JSON body and the given header name/value pairs. */
    public static HttpRequest request(String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    /** Sends and reads the whole answer. */
    public static HttpResponse<String> post(String path, String body, String... headers) {
        try {
            return CLIENT.send(request(path, body, headers), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends with {@code Expect: 100-continue}: the body goes only once the router invited it. */
    public static HttpResponse<String> postExpectingContinue(String path, String body, String... headers) {
        HttpRequest plain = request(path, body, headers);
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(plain, (name, value) -> true).expectContinue(true);
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends and returns as soon as the head arrived; the body is read as it comes. */
    public static HttpResponse<InputStream> postStreaming(String path, String body, String... headers) {
        try {
            return CLIENT.send(request(path, body, headers), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
