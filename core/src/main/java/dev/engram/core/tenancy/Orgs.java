package dev.engram.core.tenancy;

/**
 * Organisations own all data. Until API keys carry their own organisation, every request belongs to
 * {@link #DEFAULT}; every row and every vector already records its owner, so isolation is a filter, not a migration.
 */
public final class Orgs {

    /** The organisation of a single-tenant installation. */
    public static final String DEFAULT = "org_default";

    private Orgs() {}
}
