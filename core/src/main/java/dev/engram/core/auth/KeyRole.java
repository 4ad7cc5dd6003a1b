package dev.engram.core.auth;

/** What a key may do. */
public enum KeyRole {
    /**
     * The installation's bootstrap key, from configuration: everything an {@link #ADMIN} key may do in the default
     * organisation, and creating organisations.
     */
    ROOT,
    /** Every endpoint, every container tag of its organisation. */
    ADMIN,
    /** Only the {@link ScopedEndpoints scoped endpoints}, and only its one container tag. */
    SCOPED;

    /** The stored name, e.g. {@code "scoped"}. */
    public String storedName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The role of a stored name.
     *
     * @throws IllegalArgumentException for a name that is not a role
     */
    public static KeyRole fromStored(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
