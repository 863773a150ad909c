//! The selected events as an event-data table (tab-separated, one header line), in the shape
//! users of GDELT, ICEWS and Phoenix know: a dyad, a CAMEO code with its root, quad class and
//! Goldstein score, a date and a source. Event data is dyadic, so there is one row per report
//! and target: an event reported twice with two participants gives four rows, and an event
//! without a participant gives one row per report with empty target columns. Tabs and line
//! breaks inside a field become spaces, so every row is one line; fields are never quoted.

use crate::graph::KnowledgeGraph;
use crate::model::Entity;

use super::ExportError;

/// The header row.
pub const COLUMNS: [&str; 20] = [
    "date",
    "source_id",
    "source_name",
    "source_country",
    "target_id",
    "target_name",
    "target_country",
    "verb",
    "cameo",
    "root",
    "quad_class",
    "goldstein",
    "topic_id",
    "topic_name",
    "symmetric",
    "article",
    "url",
    "sentence_index",
    "sentence",
    "event_count",
];

/// A field made safe for TSV: tabs, line breaks and other control characters become spaces.
pub fn field(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The selected events as TSV.
pub fn to_tsv(graph: &KnowledgeGraph) -> Result<String, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    let entity = |id: &crate::model::EntityId| graph.entity(id);
    let columns = |e: Option<&Entity>| {
        [
            e.map_or_else(String::new, |e| field(e.id.as_str())),
            e.map_or_else(String::new, |e| field(&e.name)),
            e.and_then(|e| e.country.as_deref()).map_or_else(String::new, field),
        ]
    };
    for edge in graph.edges() {
        let cameo = &edge.key.action.cameo;
        let actor = columns(entity(&edge.key.actor));
        let topic = edge.key.topic.as_ref().and_then(entity);
        let targets: Vec<Option<&Entity>> = if edge.key.participants.is_empty() {
            vec![None]
        } else {
            edge.key.participants.iter().map(&entity).collect()
        };
        for source in &edge.sources {
            for target in &targets {
                let target = columns(*target);
                let record = [
                    source.date.map_or_else(String::new, |d| d.to_string()),
                    actor[0].clone(),
                    actor[1].clone(),
                    actor[2].clone(),
                    target[0].clone(),
                    target[1].clone(),
                    target[2].clone(),
                    field(&edge.key.action.verb),
                    cameo.code().to_string(),
                    cameo.root().to_string(),
                    cameo.quad_class().as_str().to_string(),
                    format!("{:?}", cameo.goldstein()),
                    topic.map_or_else(String::new, |t| field(t.id.as_str())),
                    topic.map_or_else(String::new, |t| field(&t.name)),
                    edge.symmetric.to_string(),
                    field(&source.article),
                    source.url.as_deref().map_or_else(String::new, field),
                    source.sentence_index.to_string(),
                    field(&source.sentence),
                    edge.count().to_string(),
                ];
                writer.write_record(&record)?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::sample;

    #[test]
    fn one_line_per_report_and_target_with_a_header() {
        let graph = sample();
        let text = to_tsv(&graph).expect("tsv");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].split('\t').collect::<Vec<_>>(), COLUMNS);
        // discuss ×2 and criticize ×1 with one target; meet ×1 with two targets.
        assert_eq!(lines.len(), 1 + 2 + 1 + 2);
        for line in &lines {
            assert_eq!(line.split('\t').count(), COLUMNS.len(), "{line}");
        }
        let criticize = lines.iter().find(|l| l.contains("\tcriticize\t")).expect("row");
        let fields: Vec<&str> = criticize.split('\t').collect();
        assert_eq!(fields[0], "2021-03-05");
        assert_eq!(fields[3], "AAA");
        assert_eq!(fields[8], "111");
        assert_eq!(fields[10], "verbal_conflict");
        assert_eq!(fields[11], "-2.0");
        assert_eq!(fields[18], "Sentence 3 with \"quotes\", a \\ and a line break.");
    }
}
