package dev.engram.ingest.containertags;

import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.api.UpdateDocumentRequest;
import dev.engram.ingest.documents.UpdateDocument;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs container tag merges one at a time on a thread of its own: claims a queued merge, moves its documents a page at
 * a time through {@link UpdateDocument} (each move its own transaction, with the event that re-processes the document
 * under the target tag), records progress, and ends it {@code done} or {@code failed}. A merge left running by a
 * replica that stopped is taken up again at the next start of any replica: moving is idempotent (a moved document is
 * no longer in a source tag).
 */
@ApplicationScoped
public class MergeRunner {

    private static final Logger LOG = Logger.getLogger(MergeRunner.class);

    /** Documents read per page. */
    static final int PAGE = 100;

    /** A running merge not touched this long is taken to be abandoned by its runner. */
    static final long STALE_SECONDS = 120;

    @Inject
    TagMerges merges;

    @Inject
    UpdateDocument updateDocument;

    private ExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("container-tag-merge").daemon().factory());
        executor.execute(() -> {
            try {
                await(() -> merges.unfinished(STALE_SECONDS)).forEach(this::submit);
            } catch (Throwable e) {
                LOG.warnf("could not look for unfinished container tag merges: %s", e.toString());
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow(); // an interrupted merge is taken up again after the restart
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Runs the merge soon (after those submitted before it). */
    public void submit(String mergeId) {
        try {
            executor.execute(() -> run(mergeId));
        } catch (RejectedExecutionException e) {
            LOG.infof("container tag merge %s not started: shutting down; it is taken up at the next start", mergeId);
        }
    }

    private void run(String mergeId) {
        TagMerges.Merge merge;
        try {
            merge = await(() -> merges.claim(mergeId, STALE_SECONDS));
        } catch (Throwable e) {
            LOG.warnf("could not start container tag merge %s: %s", mergeId, e.toString());
            return;
        }
        if (merge == null) {
            return; // another runner has it, or it ended
        }
        int moved = merge.moved();
        try {
            UpdateDocumentRequest retag =
                    new UpdateDocumentRequest(null, merge.targetTag(), null, null, null, null, null);
            String after = "";
            while (!Thread.currentThread().isInterrupted()) {
                String from = after;
                List<String> ids = await(() -> merges.nextDocuments(merge, from, PAGE));
                if (ids.isEmpty()) {
                    break;
                }
                for (String id : ids) {
                    if (move(merge, id, retag)) {
                        moved++;
                    }
                }
                after = ids.get(ids.size() - 1);
                int done = moved;
                await(() -> merges.progress(merge, done));
            }
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: left running, taken up again later
            }
            int done = moved;
            await(() -> merges.finish(merge, done));
            LOG.infof("container tag merge %s done: %d document(s) moved", merge.id(), moved);
        } catch (Throwable e) {
            String reason = "moving documents failed after " + moved + " moved: " + e.getMessage();
            LOG.warnf("container tag merge %s failed: %s", merge.id(), e.toString());
            int done = moved;
            try {
                await(() -> merges.fail(merge, done, reason));
            } catch (Throwable recording) {
                LOG.errorf("could not record the failure of container tag merge %s: %s", merge.id(), recording);
            }
        }
    }

    /** Moves one document; {@code false} when it was deleted meanwhile. */
    private boolean move(TagMerges.Merge merge, String documentId, UpdateDocumentRequest retag) throws Throwable {
        try {
            await(() -> updateDocument.update(merge.orgId(), documentId, retag));
            return true;
        } catch (ResourceNotFoundException deleted) {
            return false;
        }
    }

    /** Runs {@code work} on a Vert.x context (Hibernate Reactive needs one) and waits for it. */
    private static <T> T await(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
