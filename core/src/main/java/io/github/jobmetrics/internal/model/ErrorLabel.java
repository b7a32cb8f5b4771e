package io.github.jobmetrics.internal.model;

/** The {@code error} label of a failed record: a class name, never a message, so its values stay few. */
final class ErrorLabel {
    private ErrorLabel() {
    }

    static String of(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Class<?> c = t.getClass();
        String simple = c.getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        // Anonymous and hidden classes have no simple name.
        String name = c.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
