package io.github.jobmetrics.agent.internal;

import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.config.Settings;

import static java.util.Objects.requireNonNull;

/**
 * One {@code Class#method} pattern of the settings, with the id that instrumented code passes to {@link Probes}.
 * Immutable.
 */
public final class MethodProbe {
    /** What a call of a matched method counts. */
    public enum Kind {
        /** A record of the stage: timed, an error when it throws. */
        RECORD("records"),
        /** One input record per call that returns. */
        INPUT("input"),
        /** One output record per call that returns. */
        OUTPUT("output");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The setting this kind of pattern comes from. */
        public String key() {
            return key;
        }
    }

    private final int id;
    private final Kind kind;
    private final String stage;
    private final String className;
    private final String methodName;
    private final String parameters;
    private final String parameterDescriptor;

    /**
     * {@code pattern} is {@code fully.qualified.Type#method}, optionally with a parameter list such as {@code
     * (java.lang.String,int)}, as the settings loader has checked.
     */
    public MethodProbe(int id, Kind kind, String stage, String pattern) {
        this.id = id;
        this.kind = requireNonNull(kind, "kind must not be null");
        this.stage = requireNonNull(stage, "stage must not be null");
        int hash = pattern.indexOf('#');
        if (hash <= 0 || hash == pattern.length() - 1) {
            throw new IllegalArgumentException("pattern " + pattern + " is not Class#method");
        }
        this.className = pattern.substring(0, hash);
        int paren = pattern.indexOf('(', hash);
        if (paren < 0) {
            this.methodName = pattern.substring(hash + 1);
            this.parameters = null;
            this.parameterDescriptor = null;
        } else {
            if (!pattern.endsWith(")")) {
                throw new IllegalArgumentException("pattern " + pattern + " has no closing parenthesis");
            }
            this.methodName = pattern.substring(hash + 1, paren);
            this.parameters = pattern.substring(paren + 1, pattern.length() - 1).replace(" ", "");
            this.parameterDescriptor = descriptorOf(parameters);
        }
    }

    /** {@code (Ljava/lang/String;I)} for {@code java.lang.String,int}: how a method descriptor starts. */
    private static String descriptorOf(String parameters) {
        StringBuilder out = new StringBuilder("(");
        if (!parameters.isEmpty()) {
            for (String type : parameters.split(",", -1)) {
                String element = type;
                while (element.endsWith("[]")) {
                    out.append('[');
                    element = element.substring(0, element.length() - 2);
                }
                out.append(primitive(element));
            }
        }
        return out.append(')').toString();
    }

    private static String primitive(String type) {
        switch (type) {
            case "boolean": return "Z";
            case "byte": return "B";
            case "char": return "C";
            case "short": return "S";
            case "int": return "I";
            case "long": return "J";
            case "float": return "F";
            case "double": return "D";
            default: return "L" + type.replace('.', '/') + ";";
        }
    }

    /** Whether a method of this name and JVM descriptor is the one (or one of those) the pattern names. */
    public boolean matches(String name, String descriptor) {
        return methodName.equals(name) && (parameterDescriptor == null || descriptor.startsWith(parameterDescriptor));
    }

    /** Whether the pattern names one overload by its parameter list. */
    public boolean hasParameters() {
        return parameters != null;
    }

    public int id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String stage() {
        return stage;
    }

    /** The binary class name, {@code com.acme.Etl} or {@code com.acme.Etl$Row}. */
    public String className() {
        return className;
    }

    /** The class name as class file transformers see it, {@code com/acme/Etl}. */
    public String internalClassName() {
        return className.replace('.', '/');
    }

    public String methodName() {
        return methodName;
    }

    /** The pattern as the user wrote it, with its setting: {@code records.load=com.acme.Etl#read}. */
    public String describe() {
        String key = kind == Kind.RECORD && !Settings.MAIN_STAGE.equals(stage) ? SettingKey.RECORDS_STAGE.prefix() + stage : kind.key();
        return key + "=" + className + "#" + methodName + (parameters == null ? "" : "(" + parameters + ")");
    }
}
