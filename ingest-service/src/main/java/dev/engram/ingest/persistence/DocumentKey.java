package dev.engram.ingest.persistence;

import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@link DocumentEntity}: the owning organisation and the document id. */
public class DocumentKey implements Serializable {

    public String orgId;
    public String id;

    public DocumentKey() {}

    public DocumentKey(String orgId, String id) {
        this.orgId = orgId;
        this.id = id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentKey other && Objects.equals(orgId, other.orgId) && Objects.equals(id, other.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orgId, id);
    }
}
