package dev.engram.writer.pipeline;

import dev.engram.core.documents.DocumentSources;
import dev.engram.core.events.DocumentEvent;
import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.extraction.ContentExtractor;
import dev.engram.writer.extraction.ContentSource;
import dev.engram.writer.extraction.ExtractedContent;
import dev.engram.writer.extraction.ExtractionConfig;
import dev.engram.writer.extraction.ExtractionException;
import dev.engram.writer.fetch.AllowList;
import dev.engram.writer.fetch.FetchConfig;
import dev.engram.writer.fetch.FetchException;
import dev.engram.writer.fetch.FetchedContent;
import dev.engram.writer.fetch.UrlFetcher;
import dev.engram.writer.store.DocumentSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link ContentPreparation} with Apache Tika: text as given, URLs fetched through the SSRF-guarded
 * {@link UrlFetcher}, uploaded files read from ingest-service's store; all turned into clean text with a title and a
 * document type.
 */
@ApplicationScoped
public class TikaContentPreparation implements ContentPreparation {

    @Inject
    WriterConfig config;

    @Inject
    DocumentSource documents;

    private ContentExtractor extractor;
    private UrlFetcher fetcher;

    @PostConstruct
    void init() {
        extractor = new ContentExtractor(ExtractionConfig.defaults());
        WriterConfig.Fetch fetch = config.fetch();
        fetcher = new UrlFetcher(FetchConfig.defaults()
                .withAllowList(AllowList.of(fetch.allow().orElse(List.of())))
                .withMaxBytes(fetch.maxBytes())
                .withTotalTimeout(fetch.timeout()));
    }

    @PreDestroy
    void close() {
        extractor.close();
    }

    @Override
    public Prepared prepare(DocumentEvent event) {
        String source = event.source() != null ? event.source() : DocumentSources.of(event.content());
        try {
            ExtractedContent extracted = switch (source) {
                case DocumentSources.FILE -> extractor.extract(file(event));
                case DocumentSources.URL -> {
                    FetchedContent fetched = fetcher.fetch(event.content().strip());
                    yield extractor.extract(
                            ContentSource.Binary.fetched(fetched.body(), fetched.contentType(), fetched.finalUrl()));
                }
                default -> extractor.extract(new ContentSource.Text(event.content()));
            };
            String type = DocumentSources.URL.equals(source)
                            && "text".equals(extracted.type().wireValue())
                    ? "webpage"
                    : extracted.type().wireValue();
            return new Prepared(extracted.text(), extracted.title(), type);
        } catch (FetchException e) {
            throw new StageFailure(Stage.EXTRACTING, e.retriable(), "could not fetch the URL: " + e.getMessage(), e);
        } catch (ExtractionException e) {
            throw new StageFailure(Stage.EXTRACTING, false, e.getMessage(), e);
        } catch (SQLException e) {
            throw Failures.of(Stage.EXTRACTING, e);
        }
    }

    private ContentSource.Binary file(DocumentEvent event) throws SQLException {
        var file = documents
                .file(event.orgId(), event.documentId())
                .orElseThrow(
                        () -> new StageFailure(Stage.EXTRACTING, false, "the uploaded file is no longer stored", null));
        return new ContentSource.Binary(file.bytes(), file.contentType(), file.filename());
    }
}
