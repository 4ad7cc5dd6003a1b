package dev.engram.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Failures no resource handles: a database outage is a 503 to retry, anything else a 500, both in the API's shape. */
class ApiExceptionMappersTest {

    private final ApiExceptionMappers mappers = new ApiExceptionMappers();

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfter() {
        var response = mappers.unexpected(new CompletionException(new ConnectException("Connection refused")));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getEntity().error()).isEqualTo("Service unavailable");
    }

    @Test
    void aCheckedExceptionIsStillAnsweredInTheApisShape() {
        var response = mappers.unexpected(new ConnectException("refused"));
        assertThat(response.getStatus()).isEqualTo(503);

        var other = mappers.unexpected(new java.io.IOException("disk"));
        assertThat(other.getStatus()).isEqualTo(500);
        assertThat(other.getEntity().details()).contains("service log");
        assertThat(mappers.unexpected(new IllegalStateException("bug")).getStatus())
                .isEqualTo(500);
    }
}
