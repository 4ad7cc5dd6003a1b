package dev.engram.vectors.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.engram.core.vectors.VectorStoreException;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for Qdrant calls and classifies their failures: unavailable, deadline exceeded, overloaded, aborted or
 * cancelled calls are retriable; every other status (invalid argument, not found, ...) is not.
 */
final class QdrantCalls {

    private static final Set<Status.Code> RETRIABLE = EnumSet.of(
            Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED,
            Status.Code.CANCELLED);

    private final Duration timeout;

    QdrantCalls(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The result of {@code call}, waiting at most the configured timeout plus a grace period (the call carries its own
     * deadline too).
     *
     * @throws VectorStoreException naming {@code what} if the call fails or times out
     */
    <T> T await(ListenableFuture<T> call, String what) {
        try {
            return call.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            Status status = Status.fromThrowable(cause);
            throw new VectorStoreException(
                    "Qdrant could not " + what + ": " + status.getCode() + " " + nullToEmpty(status.getDescription()),
                    RETRIABLE.contains(status.getCode()),
                    cause);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new VectorStoreException("Qdrant did not " + what + " within " + timeout, true, e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new VectorStoreException("interrupted while Qdrant should " + what, true, e);
        }
    }

    /** Whether {@code failure} is Qdrant saying that a collection does not exist. */
    static boolean isNotFound(VectorStoreException failure) {
        return failure.getCause() != null
                && Status.fromThrowable(failure.getCause()).getCode() == Status.Code.NOT_FOUND;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
