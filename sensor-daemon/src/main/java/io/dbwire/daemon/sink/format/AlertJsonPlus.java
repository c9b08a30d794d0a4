package io.dbwire.daemon.sink.format;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.daemon.sink.AlertFormatter;

/**
 * The default alert JSON (docs/alerts.md) with three keys appended: {@code sensor}, {@code community_id} (null when
 * the evidence names no connection) and {@code connection_ids} (the connections the evidence came from). The keys
 * before them are the base formatter's, unchanged.
 */
public final class AlertJsonPlus implements AlertFormatter {
    private final AlertFormatter base;
    private final String sensorKey;

    public AlertJsonPlus(AlertFormatter base, String sensor) {
        this.base = base;
        this.sensorKey = ",\"sensor\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(sensor)) + "\"";
    }

    @Override
    public String format(Alert a) {
        String json = base.format(a);
        StringBuilder b = new StringBuilder(json.length() + 96);
        b.append(json, 0, json.lastIndexOf('}')).append(sensorKey).append(",\"community_id\":");
        String cid = AlertFlow.communityId(a);
        if (cid == null) {
            b.append("null");
        } else {
            b.append('"').append(cid).append('"');
        }
        b.append(",\"connection_ids\":[");
        for (int i = 0; i < a.connectionIds().size(); i++) {
            b.append(i == 0 ? "" : ",").append(a.connectionIds().get(i));
        }
        return b.append("]}").toString();
    }
}
