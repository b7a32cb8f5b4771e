package io.github.jobmetrics.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the answer of a ruler's {@code /api/v1/alerts} (Prometheus and vmalert print the same shape closely enough:
 * one JSON object per alert with its labels and a {@code "state"}) without a JSON library: it splits the
 * {@code "alerts"} array into its objects and looks for the alert's name, a label and the state in each.
 */
public final class ActiveAlerts {
    private ActiveAlerts() {
    }

    /** Whether {@code body} holds an alert {@code alertname} in {@code state} whose label {@code job} is {@code job}. */
    public static boolean has(String body, String alertname, String job, String state) {
        for (String alert : objectsOfAlertsArray(body)) {
            if (alert.contains("\"alertname\":\"" + alertname + "\"") && alert.contains("\"job\":\"" + job + "\"")
                    && alert.contains("\"state\":\"" + state + "\"")) {
                return true;
            }
        }
        return false;
    }

    /** The top-level objects of the {@code "alerts"} array, as text; braces inside strings are skipped. */
    static List<String> objectsOfAlertsArray(String body) {
        List<String> objects = new ArrayList<>();
        int from = body.indexOf("\"alerts\":[");
        if (from < 0) {
            return objects;
        }
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = from + "\"alerts\":[".length(); i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if (c == '}') {
                if (--depth == 0) {
                    objects.add(body.substring(start, i + 1));
                }
            } else if (c == ']' && depth == 0) {
                break;
            }
        }
        return objects;
    }
}
