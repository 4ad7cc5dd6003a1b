package dev.engram.chunking;

import dev.engram.chunking.MarkdownStructure.Block;
import dev.engram.chunking.MarkdownStructure.BlockKind;
import dev.engram.chunking.MarkdownStructure.Section;
import dev.engram.chunking.TextSpans.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits extracted text into token-sized chunks along its structure.
 *
 * <p><b>Structure.</b> The text is divided into sections at Markdown headings; every chunk stays inside one section
 * and starts with the section's heading path ({@code # Guide > ## Install}). A section is divided into blocks
 * (paragraphs, fenced code blocks, tables); a block that does not fit in a chunk is divided into sentences (tables into
 * rows), a sentence that does not fit into its lines, a line that does not fit into runs of whole words, and only a
 * single word longer than a chunk is cut between characters. A fenced code block is never divided unless it alone exceeds a chunk; then it is divided
 * between lines and every piece is fenced again.
 *
 * <p><b>Packing.</b> Pieces are packed in order. A chunk ends
 *
 * <ol>
 *   <li>before a piece that would take it over the size limit;
 *   <li>after a paragraph of at least {@code minTokens}, once the chunk holds {@code minTokens};
 *   <li>after a <em>cut point</em> (a piece whose text hash falls in a fixed quarter of the hash range), once the chunk
 *       holds {@code minTokens}.
 * </ol>
 *
 * Rules 2 and 3 depend only on the pieces' own content, not on how much text came before, so after an edit the chunk
 * boundaries fall back into the same places at the next paragraph or cut point; greedy packing to the maximum would
 * instead shift every later boundary, and with it every later chunk id (see {@link ChunkIds}). A section's last
 * piece, if smaller than {@code minTokens}, joins the previous chunk when it fits.
 *
 * <p><b>Overlap.</b> Except for a section's first chunk, a chunk starts with the end of the previous chunk: whole
 * trailing sentences up to {@code overlapTokens}, or trailing words when the last sentence alone is longer. Code and
 * tables are never used as overlap.
 *
 * <p><b>Size.</b> Every chunk's full text (heading path, overlap and body) is at most {@code maxTokens} as counted by
 * the {@link TokenCounter}, checked on the final text, so counters whose counts are not additive are handled too.
 *
 * <p>The output is a pure function of the text and the configuration. Thread-safe.
 */
public final class Chunker {

    private static final System.Logger LOG = System.getLogger(Chunker.class.getName());

    private final ChunkerConfig config;
    private final TokenCounter counter;

    public Chunker(ChunkerConfig config, TokenCounter counter) {
        this.config = Objects.requireNonNull(config, "config");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** Chunks the text; an empty or blank text has no chunks. */
    public List<Chunk> chunk(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return List.of();
        }
        List<Section> sections = MarkdownStructure.parse(text);
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            Section section = sections.get(i);
            if (!section.blocks().isEmpty()) {
                new SectionChunker(text, section).chunkInto(drafts);
            } else if (!section.headings().isEmpty() && isLeaf(sections, i)) {
                // a heading with nothing under it is still content ("# Meeting notes" alone)
                String prefix = headingPrefix(section.headings());
                if (!prefix.isEmpty()) {
                    drafts.add(new Draft(prefix, section.headingStart(), section.headingEnd(), section.headings()));
                }
            }
        }
        List<Chunk> chunks = new ArrayList<>(drafts.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Draft draft : drafts) {
            String hash = ChunkIds.contentHash(draft.text());
            int occurrence = seen.merge(hash, 1, Integer::sum) - 1;
            chunks.add(new Chunk(
                    chunks.size(),
                    draft.text(),
                    draft.start(),
                    draft.end(),
                    counter.count(draft.text()),
                    hash,
                    occurrence,
                    draft.headings()));
        }
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "chunked " + text.length() + " chars into " + chunks.size() + " chunks");
        return chunks;
    }

    private record Draft(String text, int start, int end, List<String> headings) {}

    /**
     * A piece of a section that is never divided further while packing.
     *
     * @param text the piece as it goes into a chunk (a divided code block's piece is re-fenced)
     * @param block which block of the section the piece belongs to (each piece of a divided code block is its own)
     * @param blockEnd whether the piece ends its block
     * @param blockTokens tokens of the whole block the piece belongs to
     */
    private record Unit(
            int start,
            int end,
            String text,
            int tokens,
            BlockKind kind,
            int block,
            boolean blockEnd,
            int blockTokens) {}

    private static boolean isLeaf(List<Section> sections, int index) {
        return index + 1 >= sections.size()
                || sections.get(index + 1).level() <= sections.get(index).level();
    }

    /** The heading path line, shortened (outer headings first) to at most a quarter of a chunk. */
    private String headingPrefix(List<String> headings) {
        int limit = config.maxTokens() / 4;
        for (int from = 0; from < headings.size(); from++) {
            String prefix = String.join(" > ", headings.subList(from, headings.size()));
            if (counter.count(prefix) <= limit) {
                return prefix;
            }
        }
        String last = headings.get(headings.size() - 1);
        List<Span> words = TextSpans.words(last, 0, last.length());
        String prefix = "";
        for (Span word : words) {
            String candidate = last.substring(0, word.end());
            if (counter.count(candidate) > limit) {
                break;
            }
            prefix = candidate;
        }
        return prefix;
    }

    /** Chunks one section. */
    private final class SectionChunker {

        private final String text;
        private final Section section;
        private final String prefixBlock;
        /** Tokens of {@link #prefixBlock}, when the counter adds up (else unused). */
        private final int prefixTokens;

        private final int bodyLimit;
        private final List<Unit> units = new ArrayList<>();

        SectionChunker(String text, Section section) {
            this.text = text;
            this.section = section;
            String prefix = section.headings().isEmpty() ? "" : headingPrefix(section.headings());
            this.prefixBlock = prefix.isEmpty() ? "" : prefix + "\n\n";
            this.prefixTokens = counter.addsUp() && !prefixBlock.isEmpty() ? counter.count(prefixBlock) : 0;
            this.bodyLimit = config.maxTokens() - config.overlapTokens();
        }

        void chunkInto(List<Draft> drafts) {
            buildUnits();
            List<int[]> spans = pack();
            for (int k = 0; k < spans.size(); k++) {
                int s = spans.get(k)[0];
                int e = spans.get(k)[1];
                String body = join(s, e);
                String overlap = k == 0 ? "" : overlap(spans.get(k - 1), units.get(s));
                String chunkText = prefixBlock + overlap + body;
                if (!overlap.isEmpty() && counter.count(chunkText) > config.maxTokens()) {
                    chunkText = prefixBlock + body; // a counter that is not additive; the body alone fits
                }
                drafts.add(new Draft(
                        chunkText, units.get(s).start(), units.get(e - 1).end(), section.headings()));
            }
        }

        /** Whether a body (with the heading path, leaving room for overlap) is within the limit. */
        private boolean fits(String body) {
            return counter.count(prefixBlock + body) <= bodyLimit;
        }

        /**
         * {@link #fits(String)} for a body of {@code bodyTokens} tokens, when those are known: with a counter that adds
         * up, the heading path's count plus the body's is the count of the two joined, so nothing is counted again.
         */
        private boolean fits(String body, int bodyTokens) {
            return counter.addsUp() ? prefixTokens + bodyTokens <= bodyLimit : fits(body);
        }

        private void buildUnits() {
            int blockId = 0;
            for (Block block : section.blocks()) {
                String blockText = text.substring(block.start(), block.end());
                int tokens = counter.count(blockText);
                if (fits(blockText, tokens)) {
                    units.add(new Unit(
                            block.start(), block.end(), blockText, tokens, block.kind(), blockId++, true, tokens));
                    continue;
                }
                switch (block.kind()) {
                    case CODE -> blockId = addCodePieces(block, tokens, blockId);
                    case TABLE ->
                        addPieces(TextSpans.lines(text, block.start(), block.end()), block, tokens, blockId++);
                    case PROSE ->
                        addPieces(TextSpans.sentences(text, block.start(), block.end()), block, tokens, blockId++);
                }
            }
        }

        /**
         * Adds sentences (or rows) as units. One that does not fit is divided into its lines when it has several (each
         * line a unit, so a long run of unpunctuated lines such as a chat log still packs by content), and what still
         * does not fit into runs of words.
         */
        private void addPieces(List<Span> parts, Block block, int blockTokens, int blockId) {
            List<Span> pieces = new ArrayList<>();
            Map<Span, Integer> counted = new HashMap<>();
            for (Span part : parts) {
                String partText = text.substring(part.start(), part.end());
                int partTokens = counter.count(partText);
                if (fits(partText, partTokens)) {
                    pieces.add(part);
                    counted.put(part, partTokens);
                    continue;
                }
                List<Span> lines = TextSpans.lines(text, part.start(), part.end());
                for (Span line : lines.size() > 1 ? lines : List.of(part)) {
                    if (lines.size() > 1 && fits(text.substring(line.start(), line.end()))) {
                        pieces.add(line);
                    } else {
                        pieces.addAll(fitRuns(TextSpans.words(text, line.start(), line.end()), "", ""));
                    }
                }
            }
            for (int i = 0; i < pieces.size(); i++) {
                Span piece = pieces.get(i);
                String pieceText = text.substring(piece.start(), piece.end());
                Integer known = counted.get(piece);
                units.add(new Unit(
                        piece.start(),
                        piece.end(),
                        pieceText,
                        known != null ? known : counter.count(pieceText),
                        block.kind(),
                        blockId,
                        i == pieces.size() - 1,
                        blockTokens));
            }
        }

        /** Divides an oversized code block between lines; every piece is fenced again. */
        private int addCodePieces(Block block, int blockTokens, int blockId) {
            int openEnd = text.indexOf('\n', block.start());
            String open = block.fence();
            String close = MarkdownStructure.fenceMarker(open);
            int innerStart = openEnd < 0 || openEnd >= block.end() ? block.end() : openEnd + 1;
            int innerEnd = block.end();
            int lastLineStart = text.lastIndexOf('\n', block.end() - 1) + 1;
            if (lastLineStart > block.start()
                    && text.substring(lastLineStart, block.end()).strip().startsWith(close)) {
                innerEnd = Math.max(innerStart, lastLineStart - 1);
            }
            String before = open + "\n";
            String after = "\n" + close;
            for (Span run : fitRuns(TextSpans.lines(text, innerStart, innerEnd), before, after)) {
                String pieceText = before + text.substring(run.start(), run.end()) + after;
                units.add(new Unit(
                        run.start(),
                        run.end(),
                        pieceText,
                        counter.count(pieceText),
                        BlockKind.CODE,
                        blockId++,
                        true,
                        blockTokens));
            }
            return blockId;
        }

        /**
         * Groups consecutive parts into the longest runs that fit (wrapped in {@code before}/{@code after}); a part that
         * does not fit alone is divided into words, and a word into characters.
         */
        private List<Span> fitRuns(List<Span> parts, String before, String after) {
            List<Span> runs = new ArrayList<>();
            Span current = null;
            for (Span part : parts) {
                Span candidate = current == null ? part : new Span(current.start(), part.end());
                if (fits(before + text.substring(candidate.start(), candidate.end()) + after)) {
                    current = candidate;
                    continue;
                }
                if (current != null) {
                    runs.add(current);
                    current = null;
                }
                if (fits(before + text.substring(part.start(), part.end()) + after)) {
                    current = part;
                } else {
                    List<Span> words = TextSpans.words(text, part.start(), part.end());
                    if (words.size() > 1) {
                        runs.addAll(fitRuns(words, before, after));
                    } else {
                        runs.addAll(characterRuns(part, before, after));
                    }
                }
            }
            if (current != null) {
                runs.add(current);
            }
            return runs;
        }

        /** The last resort for a single word longer than a chunk: the longest prefixes that fit, at least one char. */
        private List<Span> characterRuns(Span word, String before, String after) {
            List<Span> runs = new ArrayList<>();
            int start = word.start();
            while (start < word.end()) {
                int low = 1; // code points; at least one per run so the loop always advances
                int high = text.codePointCount(start, word.end());
                while (low < high) { // the longest run that fits, by bisection
                    int mid = (low + high + 1) >>> 1;
                    if (fits(before + text.substring(start, text.offsetByCodePoints(start, mid)) + after)) {
                        low = mid;
                    } else {
                        high = mid - 1;
                    }
                }
                int end = text.offsetByCodePoints(start, low);
                runs.add(new Span(start, end));
                start = end;
            }
            return runs;
        }

        /** Packs units into chunks: see the class comment for the rules. Returns [start, end) unit ranges. */
        private List<int[]> pack() {
            List<int[]> spans = new ArrayList<>();
            int start = 0;
            long tokens = 0;
            for (int i = 0; i < units.size(); i++) {
                Unit unit = units.get(i);
                // tokens is the sum of units start..i-1: with a counter that adds up, that is their joined count
                if (i > start && !fitsJoined(start, i + 1, tokens + unit.tokens())) {
                    spans.add(new int[] {start, i});
                    start = i;
                    tokens = 0;
                }
                tokens += unit.tokens();
                boolean paragraphEnd = unit.blockEnd() && unit.blockTokens() >= config.minTokens();
                if (tokens >= config.minTokens() && (paragraphEnd || isCutPoint(unit))) {
                    spans.add(new int[] {start, i + 1});
                    start = i + 1;
                    tokens = 0;
                }
            }
            if (start < units.size()) {
                int[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
                if (last != null
                        && tokens < config.minTokens()
                        && fitsJoined(last[0], units.size(), tokens(last[0], units.size()))) {
                    last[1] = units.size(); // a short remainder joins the previous chunk
                } else {
                    spans.add(new int[] {start, units.size()});
                }
            }
            return spans;
        }

        /** Whether units {@code [start, end)}, joined, fit; {@code sum} is their tokens added up. */
        private boolean fitsJoined(int start, int end, long sum) {
            return counter.addsUp() ? prefixTokens + sum <= bodyLimit : fits(join(start, end));
        }

        private long tokens(int start, int end) {
            long sum = 0;
            for (int i = start; i < end; i++) {
                sum += units.get(i).tokens();
            }
            return sum;
        }

        /** A content-defined boundary: about one piece in four, decided by the piece's text alone. */
        private static boolean isCutPoint(Unit unit) {
            int h = unit.text().hashCode();
            h ^= h >>> 16;
            h *= 0x45d9f3b;
            h ^= h >>> 16;
            return (h & 3) == 0;
        }

        private String join(int start, int end) {
            StringBuilder body = new StringBuilder(units.get(start).text());
            for (int i = start + 1; i < end; i++) {
                body.append(separator(units.get(i - 1), units.get(i)))
                        .append(units.get(i).text());
            }
            return body.toString();
        }

        /** A blank line between blocks; within a block, a line break or a space as in the text. */
        private String separator(Unit before, Unit after) {
            if (before.block() != after.block()) {
                return "\n\n";
            }
            return text.substring(before.end(), after.start()).indexOf('\n') >= 0 ? "\n" : " ";
        }

        /** The end of the previous chunk to repeat before {@code first}: whole sentences if they fit, else words. */
        private String overlap(int[] previous, Unit first) {
            int budget = config.overlapTokens();
            if (budget == 0) {
                return "";
            }
            int overlapStart = -1;
            int used = 0;
            boolean full = false;
            for (int j = previous[1] - 1; j >= previous[0] && !full; j--) {
                Unit unit = units.get(j);
                if (unit.kind() != BlockKind.PROSE) {
                    break;
                }
                List<Span> sentences = TextSpans.sentences(text, unit.start(), unit.end());
                for (int s = sentences.size() - 1; s >= 0; s--) {
                    Span sentence = sentences.get(s);
                    int tokens = counter.count(text.substring(sentence.start(), sentence.end()));
                    if (used + tokens <= budget) {
                        used += tokens;
                        overlapStart = sentence.start();
                        continue;
                    }
                    if (used == 0) { // the last sentence alone is too long: its trailing words
                        List<Span> words = TextSpans.words(text, sentence.start(), sentence.end());
                        for (int w = words.size() - 1; w >= 0; w--) {
                            if (counter.count(text.substring(words.get(w).start(), sentence.end())) > budget) {
                                break;
                            }
                            overlapStart = words.get(w).start();
                        }
                    }
                    full = true;
                    break;
                }
            }
            if (overlapStart < 0) {
                return "";
            }
            Unit last = units.get(previous[1] - 1);
            return text.substring(overlapStart, last.end()).replaceAll("\n{3,}", "\n\n") + separator(last, first);
        }
    }
}
