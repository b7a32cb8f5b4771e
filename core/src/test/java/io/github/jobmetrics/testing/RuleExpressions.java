package io.github.jobmetrics.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a recording rule's or an alert's expression out of a rules file as written in docs/prometheus, so tests
 * query the text the docs ship rather than a copy. Understands the two forms those files use: {@code expr: one line} and
 * {@code expr: |} followed by a more indented block.
 */
public final class RuleExpressions {
    private RuleExpressions() {
    }

    /** The expression of the recording rule or alert named {@code record}. */
    public static String of(Path rulesFile, String record) throws IOException {
        List<String> lines = Files.readAllLines(rulesFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String named = lines.get(i).trim();
            if (!named.equals("- record: " + record) && !named.equals("- alert: " + record)) {
                continue;
            }
            String exprLine = lines.get(i + 1);
            String expr = exprLine.trim();
            if (!expr.startsWith("expr:")) {
                throw new IllegalStateException(record + ": no expr on the line after the record name");
            }
            String value = expr.substring("expr:".length()).trim();
            if (!value.equals("|")) {
                return value;
            }
            int indent = exprLine.indexOf("expr:");
            StringBuilder block = new StringBuilder();
            for (int j = i + 2; j < lines.size(); j++) {
                String line = lines.get(j);
                if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) {
                    break;
                }
                block.append(line.trim()).append('\n');
            }
            return block.toString().trim();
        }
        throw new IllegalStateException("no record or alert " + record + " in " + rulesFile);
    }
}
