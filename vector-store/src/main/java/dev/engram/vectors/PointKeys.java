package dev.engram.vectors;

/**
 * The identity of a stored point: its organisation and its id. Keying on both means two organisations that happen
 * to use the same point id never overwrite or delete each other's points.
 */
public final class PointKeys {

    private PointKeys() {}

    /** An unambiguous single-string key for {@code (orgId, id)} (length-prefixed, so no separator can collide). */
    public static String of(String orgId, String id) {
        return orgId.length() + ":" + orgId + id;
    }
}
