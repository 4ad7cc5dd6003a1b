package dev.engram.writer.pipeline;

import dev.engram.core.events.DocumentEvent;

/** The {@link Stage#EXTRACTING} step: turns a document's content (text, URL or file) into clean text. */
public interface ContentPreparation {

    /**
     * @throws StageFailure of {@link Stage#EXTRACTING}, retriable or not
     */
    Prepared prepare(DocumentEvent event);

    /**
     * Extracted text with what was learnt about the document.
     *
     * @param text clean text (Markdown kept as Markdown)
     * @param title the title found, or {@code null}
     * @param type the Supermemory document type ({@code text}, {@code pdf}, {@code webpage}, ...)
     */
    record Prepared(String text, String title, String type) {}
}
