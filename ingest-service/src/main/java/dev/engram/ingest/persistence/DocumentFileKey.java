package dev.engram.ingest.persistence;

import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@link DocumentFileEntity}. */
public class DocumentFileKey implements Serializable {

    public String orgId;
    public String documentId;

    public DocumentFileKey() {}

    public DocumentFileKey(String orgId, String documentId) {
        this.orgId = orgId;
        this.documentId = documentId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentFileKey other
                && Objects.equals(orgId, other.orgId)
                && Objects.equals(documentId, other.documentId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orgId, documentId);
    }
}
