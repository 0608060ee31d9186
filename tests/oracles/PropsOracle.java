// The google-ads-java reader: GoogleAdsClient.Builder.fromPropertiesFile loads the file with
// java.util.Properties.load(InputStream) (ISO-8859-1). Applied to every file named on the
// command line; prints one JSON line per file:
//   {"ok":true,"props":{"key":"value",...}}  or  {"ok":false,"error":"..."}
// Every char outside printable ASCII is written as a JSON u-escape (UTF-16 units).
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Properties;
import java.util.TreeMap;

public class PropsOracle {
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(String.format("\\u%04x\\u%04x", (int) c, (int) s.charAt(i + 1)));
                i++;
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate: Java keeps it, a Rust String cannot; adsconf reads it as
                // U+FFFD (String::from_utf16_lossy), so the oracle reports it the same way.
                b.append("\\ufffd");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String f : args) {
            Properties p = new Properties();
            try (InputStream in = new FileInputStream(f)) {
                p.load(in);
            } catch (IllegalArgumentException e) {
                out.append("{\"ok\":false,\"error\":").append(json(String.valueOf(e.getMessage()))).append("}\n");
                continue;
            }
            TreeMap<String, String> sorted = new TreeMap<>();
            for (String k : p.stringPropertyNames()) sorted.put(k, p.getProperty(k));
            StringBuilder o = new StringBuilder("{\"ok\":true,\"props\":{");
            boolean first = true;
            for (var e : sorted.entrySet()) {
                if (!first) o.append(',');
                first = false;
                o.append(json(e.getKey())).append(':').append(json(e.getValue()));
            }
            out.append(o).append("}}\n");
        }
        System.out.print(out);
    }
}
