package id.go.dprd.siap.esnode;

import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers Lucene's IndonesianAnalyzer as "indonesian", as the analysis-common
 * module does in a full Elasticsearch distribution (that module is not
 * published to Maven Central, so the test node brings its own).
 */
public class SiapAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("indonesian", (indexSettings, environment, name, settings) -> new IndonesianProvider(name, settings));
    }

    static final class IndonesianProvider extends AbstractIndexAnalyzerProvider<IndonesianAnalyzer> {
        private final IndonesianAnalyzer analyzer = new IndonesianAnalyzer();

        IndonesianProvider(String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public IndonesianAnalyzer get() {
            return analyzer;
        }
    }
}
