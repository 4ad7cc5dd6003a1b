package dev.engram.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises LoCoMo evidence references to dialogue ids {@code D<session>:<turn>}. The job files refer to turns by
 * custom id ({@code conv-26_D1-3}); LoCoMo itself writes {@code D1:3}, and sometimes several in one string
 * ({@code D8:6; D9:17}, {@code D9:1 D4:4}), with leading zeros ({@code D30:05}) or a stray colon ({@code D:11:26}).
 */
final class EvidenceIds {

    /** {@code D}, then session and turn numbers separated by {@code :} or {@code -}, with an optional stray colon. */
    private static final Pattern DIA_ID = Pattern.compile("D:?(\\d+)[:-](\\d+)");

    private EvidenceIds() {}

    /**
     * Every dialogue id in {@code reference}, in order, normalised to {@code D<session>:<turn>} without leading zeros;
     * empty if it names none (e.g. a bare {@code D}).
     */
    static List<String> normalise(String reference) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = DIA_ID.matcher(reference);
        while (matcher.find()) {
            ids.add(diaId(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
        }
        return ids;
    }

    /** {@code D<session>:<turn>}. */
    static String diaId(int session, int turn) {
        return "D" + session + ":" + turn;
    }
}
