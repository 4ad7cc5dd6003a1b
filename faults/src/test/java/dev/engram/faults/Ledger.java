package dev.engram.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What was posted and what each request came to: the documents the service accepted are the ones it owes. */
final class Ledger {

    /** The documents ingest-service answered 200 for (with an id), by custom id. */
    private final Map<String, String> accepted = new ConcurrentHashMap<>();

    /** The documents of requests that got no answer: they may or may not have been stored. */
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();

    /** How many requests ended with each HTTP status (0: no answer). */
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Duration slowest = Duration.ZERO;

    /** Records one batch's outcome. */
    void record(List<Corpus.Doc> docs, IngestClient.BatchOutcome outcome) {
        statuses.merge(outcome.status(), 1, Integer::sum);
        synchronized (this) {
            if (outcome.took().compareTo(slowest) > 0) {
                slowest = outcome.took();
            }
        }
        if (outcome.accepted()) {
            for (int i = 0; i < docs.size(); i++) {
                String id = i < outcome.ids().size() ? outcome.ids().get(i) : null;
                if (id == null) {
                    problems.add("item " + docs.get(i).customId() + " of an accepted batch was refused");
                } else {
                    accepted.put(docs.get(i).customId(), id);
                }
            }
        } else if (outcome.status() == 0) {
            docs.forEach(d -> unanswered.add(d.customId()));
        }
        if (!outcome.accepted() && problems.size() < 20) {
            problems.add(
                    "HTTP " + outcome.status() + " after " + outcome.took().toMillis() + " ms: " + outcome.error());
        }
    }

    Map<String, String> accepted() {
        return Map.copyOf(accepted);
    }

    Set<String> unanswered() {
        return Set.copyOf(unanswered);
    }

    /** Requests by HTTP status, 0 meaning no answer. */
    Map<Integer, Integer> statuses() {
        return new TreeMap<>(statuses);
    }

    /** The first few refused or failed requests. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    Duration slowest() {
        return slowest;
    }

    @Override
    public String toString() {
        return "requests by status " + statuses() + ", " + accepted.size() + " documents accepted, " + unanswered.size()
                + " unanswered, slowest request " + slowest.toMillis() + " ms";
    }
}
