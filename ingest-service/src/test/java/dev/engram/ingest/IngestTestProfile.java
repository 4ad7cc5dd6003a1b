package dev.engram.ingest;

/** Shared test constants of ingest-service. */
public final class IngestTestProfile {

    /** The bootstrap key configured for the test profile. */
    public static final String API_KEY = "test-key";

    /** Authorization header value for {@link #API_KEY}. */
    public static final String BEARER = "Bearer " + API_KEY;

    private IngestTestProfile() {}
}
