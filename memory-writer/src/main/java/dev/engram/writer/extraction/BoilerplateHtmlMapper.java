package dev.engram.writer.extraction;

import java.util.Locale;
import java.util.Set;
import org.apache.tika.parser.html.DefaultHtmlMapper;

/**
 * Tika's default HTML mapping, plus discarding page furniture that is not the document's content: navigation, page
 * footers, sidebars, forms and controls, embedded frames and inline SVG. (Scripts and styles are discarded by Tika
 * already.)
 */
final class BoilerplateHtmlMapper extends DefaultHtmlMapper {

    /** Element names as Tika's HTML parser reports them (upper case). */
    private static final Set<String> DISCARDED = Set.of(
            "NAV",
            "FOOTER",
            "ASIDE",
            "FORM",
            "BUTTON",
            "SELECT",
            "TEXTAREA",
            "NOSCRIPT",
            "TEMPLATE",
            "IFRAME",
            "SVG",
            "DIALOG",
            "MENU");

    @Override
    public boolean isDiscardElement(String name) {
        return super.isDiscardElement(name) || DISCARDED.contains(name.toUpperCase(Locale.ROOT));
    }
}
