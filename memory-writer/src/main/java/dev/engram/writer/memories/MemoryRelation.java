package dev.engram.writer.memories;

/** How one memory relates to another ({@code from <relation> to}). */
public enum MemoryRelation {
    /** A newer version supersedes an older one; the older stays as history with {@code isLatest=false}. */
    UPDATES("updates"),
    /** Adds detail to another memory; both stay valid. */
    EXTENDS("extends"),
    /** Was inferred from another memory ({@code isInference=true}). */
    DERIVES("derives");

    private final String wireName;

    MemoryRelation(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and in {@code writer.memory_relations.relation}. */
    public String wireName() {
        return wireName;
    }

    /** The relation with this wire name. */
    public static MemoryRelation fromWire(String name) {
        for (MemoryRelation relation : values()) {
            if (relation.wireName.equals(name)) {
                return relation;
            }
        }
        throw new IllegalArgumentException("unknown memory relation: " + name);
    }
}
