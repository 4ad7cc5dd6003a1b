package dev.engram.deploy.dlq;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./engram dlq list|replay <topic>.dlq [--limit N] [--bootstrap host:port] [--group G]}: lists a dead-letter
 * topic's records (where they came from, the stage, the exception, the reason; never their content) or replays the
 * next ones to their original topics ({@link DeadLetterReplay}). The brokers default to {@code
 * $ENGRAM_KAFKA_BOOTSTRAP}, else {@code localhost:$ENGRAM_KAFKA_PORT} (9092), the local stack's.
 */
public final class DeadLetterCommand {

    static final int DEFAULT_LIMIT = 100;

    private DeadLetterCommand() {}

    /** Runs the command; exits 2 on bad arguments, 1 on failure. */
    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command and returns its exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        int limit = DEFAULT_LIMIT;
        String bootstrap = env.getOrDefault(
                "ENGRAM_KAFKA_BOOTSTRAP", "localhost:" + env.getOrDefault("ENGRAM_KAFKA_PORT", "9092"));
        String group = DeadLetterReplay.DEFAULT_GROUP;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--limit" -> limit = Integer.parseInt(value(args, ++i, "--limit"));
                    case "--bootstrap" -> bootstrap = value(args, ++i, "--bootstrap");
                    case "--group" -> group = value(args, ++i, "--group");
                    default -> positional.add(args[i]);
                }
            }
            if (positional.size() != 2 || !List.of("list", "replay").contains(positional.get(0)) || limit < 1) {
                throw new IllegalArgumentException("expected list|replay <topic>.dlq [--limit N >= 1]");
            }
        } catch (IllegalArgumentException e) {
            err.println("dlq: " + e.getMessage());
            err.println("usage: dlq list|replay <topic>.dlq [--limit N] [--bootstrap host:port] [--group G]");
            return 2;
        }
        String topic = positional.get(1);
        try (DeadLetterReplay replay = new DeadLetterReplay(bootstrap, group)) {
            if (positional.get(0).equals("list")) {
                List<DeadLetterReplay.DeadLetter> letters = replay.list(topic, limit);
                letters.forEach(letter -> out.println(line(letter.replayed() ? "replayed" : "pending", letter)));
                out.printf("%d record(s) in %s (group %s)%n", letters.size(), topic, group);
            } else {
                DeadLetterReplay.Outcome outcome = replay.replay(topic, limit);
                outcome.replayed().forEach(letter -> out.println(line("replayed", letter)));
                outcome.skipped().forEach(letter -> out.println(line("skipped (not an event)", letter)));
                out.printf(
                        "%d replayed, %d skipped from %s (group %s)%n",
                        outcome.replayed().size(), outcome.skipped().size(), topic, group);
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("dlq: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String line(String state, DeadLetterReplay.DeadLetter letter) {
        return "%s %d/%d key=%s from=%s%s stage=%s exception=%s bytes=%d reason=%s"
                .formatted(
                        state,
                        letter.partition(),
                        letter.offset(),
                        letter.key(),
                        letter.originalTopic(),
                        letter.originalOffset().isEmpty() ? "" : "@" + letter.originalOffset(),
                        letter.stage().isEmpty() ? "-" : letter.stage(),
                        letter.exception().isEmpty() ? "-" : letter.exception(),
                        letter.valueBytes(),
                        letter.reason());
    }
}
