package dev.engram.core.filters;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Strings meant to break a parser or a query: injection payloads, odd Unicode, control characters, length limits. */
final class HostileText {

    /** Injection attempts in the languages the filters are translated into, and text that looks like JSON or numbers. */
    static final List<String> PAYLOADS = List.of(
            "' OR 1=1 --",
            "'; drop table ingest.documents; --",
            "x') or true or ('",
            "$1",
            "?",
            "::text",
            "\\",
            "\"",
            "%",
            "_",
            "$.a",
            "$..*",
            "@.key == 'x'",
            "*:*",
            "title:x OR *:*",
            "{\"AND\":[]}",
            "null",
            "true",
            "1e309",
            "-0",
            "NaN",
            "Infinity",
            "0x1p3",
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\ud800",
            "x\udc00",
            "\u202eevil",
            "\u200f",
            "\ufeff",
            "\ud83d\ude00",
            "\u00c9",
            "\u00e9",
            "stra\u00dfe",
            "\u0130",
            "\u0131",
            "\u212a",
            "\n\r\t");

    private HostileText() {}

    /**
     * Hostile text the filter grammar accepts as a key or value: at most {@link FilterParser#MAX_TEXT}, no NUL, no
     * surrogate without its pair.
     */
    static Arbitrary<String> valid() {
        return any().filter(s -> s.length() <= FilterParser.MAX_TEXT && storable(s));
    }

    /** No NUL and no unpaired surrogate: checked by code points, not as the parser does. */
    static boolean storable(String text) {
        return text.codePoints()
                .noneMatch(c -> c == 0 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
    }

    /** A payload, random text over all of UTF-16 (unpaired surrogates included), or text at the length limit. */
    static Arbitrary<String> any() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(PAYLOADS)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6)),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.strings()
                                .all()
                                .ofMinLength(FilterParser.MAX_TEXT - 2)
                                .ofMaxLength(FilterParser.MAX_TEXT + 2)));
    }
}
