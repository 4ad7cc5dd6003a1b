package dev.engram.core.filters;

/** Comparison of a numeric filter; {@link #NE} exists only as the negation of {@link #EQ}. */
public enum NumericOperator {
    GT(">"),
    LT("<"),
    GTE(">="),
    LTE("<="),
    EQ("="),
    NE("!=");

    private final String symbol;

    NumericOperator(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in requests and SQL. */
    public String symbol() {
        return symbol;
    }

    /** The operator that holds exactly when this one does not (for a present, numeric value). */
    public NumericOperator negated() {
        return switch (this) {
            case GT -> LTE;
            case LT -> GTE;
            case GTE -> LT;
            case LTE -> GT;
            case EQ -> NE;
            case NE -> EQ;
        };
    }

    /** Applies the comparison {@code actual <op> expected}. */
    public boolean test(double actual, double expected) {
        return switch (this) {
            case GT -> actual > expected;
            case LT -> actual < expected;
            case GTE -> actual >= expected;
            case LTE -> actual <= expected;
            case EQ -> actual == expected;
            case NE -> actual != expected;
        };
    }

    /** The operator a request names, or {@code null}; {@code !=} is not accepted from requests. */
    static NumericOperator fromRequest(String symbol) {
        for (NumericOperator op : values()) {
            if (op != NE && op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }
}
