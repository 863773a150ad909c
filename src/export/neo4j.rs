//! A view as Neo4j import files: `nodes.csv` and `relationships.csv` with the headers
//! `neo4j-admin database import` reads (`name:type` columns; `:ID` and `:LABEL` for nodes;
//! `:START_ID`, `:END_ID` and `:TYPE` for relationships), and `load.cypher`, which builds the
//! same graph in a running database with `LOAD CSV WITH HEADERS`. Labels and relationship types
//! are sanitised to `[A-Za-z0-9_]` so they never need quoting, and the script is generated
//! from the same column list as the headers, so the two cannot disagree.

use super::view::{Scalar, ScalarType, ViewGraph};
use super::ExportError;

/// The three files, by name.
pub struct Neo4jFiles {
    /// `nodes.csv`.
    pub nodes: String,
    /// `relationships.csv`.
    pub relationships: String,
    /// `load.cypher`.
    pub cypher: String,
}

/// A relationship type: upper-case words joined by `_` (`express concern` → `EXPRESS_CONCERN`).
pub fn relationship_type(relation: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(relation).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "REL_");
    }
    out
}

/// A node label from an entity kind (`person` → `Person`).
pub fn label(kind: &str) -> String {
    let clean: String = kind.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut chars = clean.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => "Unknown".to_string(),
    }
}

/// A column of a CSV file: its header and how load.cypher converts the text back.
struct Column {
    name: &'static str,
    kind: ScalarType,
    date: bool,
    /// A node's `label` attribute is its `name` property (a Neo4j node label is something else).
    node: bool,
}

impl Column {
    fn header(&self) -> String {
        let suffix = match (self.kind, self.date) {
            (_, true) => ":date",
            (ScalarType::Text, false) => "",
            (ScalarType::Int, false) => ":long",
            (ScalarType::Float, false) => ":double",
            (ScalarType::Bool, false) => ":boolean",
        };
        format!("{}{suffix}", self.property())
    }

    /// The property name.
    fn property(&self) -> &'static str {
        if self.node && self.name == "label" {
            "name"
        } else {
            self.name
        }
    }

    fn cypher(&self) -> String {
        let field = format!("row.`{}`", self.header());
        match (self.kind, self.date) {
            (_, true) => format!("date({field})"),
            (ScalarType::Text, false) => field,
            (ScalarType::Int, false) => format!("toInteger({field})"),
            (ScalarType::Float, false) => format!("toFloat({field})"),
            (ScalarType::Bool, false) => format!("toBoolean({field})"),
        }
    }
}

fn columns(schema: Vec<(&'static str, ScalarType)>, node: bool) -> Vec<Column> {
    schema
        .into_iter()
        .map(|(name, kind)| Column { name, kind, date: name.ends_with("_date"), node })
        .collect()
}

fn value(attributes: &[(&'static str, Scalar)], name: &str) -> String {
    attributes.iter().find(|(n, _)| *n == name).map_or_else(String::new, |(_, v)| v.text())
}

/// The view as Neo4j import files.
pub fn to_neo4j(view: &ViewGraph) -> Result<Neo4jFiles, ExportError> {
    let node_columns = columns(ViewGraph::schema(view.nodes.iter().map(|n| n.attributes())), true);
    let edge_columns = columns(ViewGraph::schema(view.edges.iter().map(|e| e.attributes())), false);

    let mut nodes = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["id:ID".to_string()];
    header.extend(node_columns.iter().map(Column::header));
    header.push(":LABEL".to_string());
    nodes.write_record(&header)?;
    let mut kinds = std::collections::BTreeSet::new();
    for node in &view.nodes {
        let attributes = node.attributes();
        let mut record = vec![node.id.clone()];
        record.extend(node_columns.iter().map(|c| value(&attributes, c.name)));
        kinds.insert(node.kind.as_str());
        record.push(format!("Entity;{}", label(node.kind.as_str())));
        nodes.write_record(&record)?;
    }

    let mut relationships = csv::Writer::from_writer(Vec::new());
    let mut header =
        vec![":START_ID".to_string(), ":END_ID".to_string(), ":TYPE".to_string(), "key".into()];
    header.extend(edge_columns.iter().map(Column::header));
    relationships.write_record(&header)?;
    let mut types = std::collections::BTreeSet::new();
    for edge in &view.edges {
        let attributes = edge.attributes();
        let kind = relationship_type(&edge.relation);
        let mut record =
            vec![edge.source.clone(), edge.target.clone(), kind.clone(), edge.id.clone()];
        record.extend(edge_columns.iter().map(|c| value(&attributes, c.name)));
        types.insert(kind);
        relationships.write_record(&record)?;
    }

    let mut cypher = String::from(
        "// Builds dipgraph's graph in a running Neo4j database. Copy nodes.csv and\n\
         // relationships.csv into the database's import directory, then run\n\
         //   cypher-shell -u neo4j -p PASSWORD -f load.cypher\n\
         // For an empty database the same files load offline with\n\
         //   neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv neo4j\n\
         // Running the script twice changes nothing (MERGE on ids and edge keys).\n\n\
         CREATE CONSTRAINT dipgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n\n\
         LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n\
         MERGE (n:Entity {id: row.`id:ID`})\n",
    );
    let sets: Vec<String> =
        node_columns.iter().map(|c| format!("n.{} = {}", c.property(), c.cypher())).collect();
    if !sets.is_empty() {
        cypher.push_str(&format!("SET {};\n", sets.join(", ")));
    } else {
        cypher.push_str(";\n");
    }
    // Labels cannot be parameters in Cypher: one statement per kind present.
    for kind in kinds {
        cypher.push_str(&format!("MATCH (n:Entity {{kind: '{kind}'}}) SET n:{};\n", label(kind)));
    }
    let sets: Vec<String> =
        edge_columns.iter().map(|c| format!("r.{} = {}", c.property(), c.cypher())).collect();
    // Relationship types cannot be parameters either: one statement per type.
    for kind in types {
        cypher.push_str(&format!(
            "\nLOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n\
             WITH row WHERE row.`:TYPE` = '{kind}'\n\
             MATCH (a:Entity {{id: row.`:START_ID`}}), (b:Entity {{id: row.`:END_ID`}})\n\
             MERGE (a)-[r:{kind} {{key: row.`key`}}]->(b)\n"
        ));
        if sets.is_empty() {
            cypher.push_str(";\n");
        } else {
            cypher.push_str(&format!("SET {};\n", sets.join(", ")));
        }
    }
    let text = |writer: csv::Writer<Vec<u8>>| -> Result<String, ExportError> {
        let bytes = writer.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    Ok(Neo4jFiles { nodes: text(nodes)?, relationships: text(relationships)?, cypher })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::exported;
    use crate::export::view::{Selection, View};

    fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().expect("header").iter().map(str::to_string).collect();
        let rows = reader
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn headers_follow_the_import_rules() {
        let out = exported(&Selection::default(), View::Events);
        let files = to_neo4j(&out.view).expect("files");
        let (header, rows) = read(&files.nodes);
        assert_eq!(header[0], "id:ID");
        assert_eq!(header.last().map(String::as_str), Some(":LABEL"));
        assert!(header.contains(&"name".to_string()));
        assert_eq!(rows.len(), out.view.nodes.len());
        assert!(rows.iter().any(|r| r.last().map(String::as_str) == Some("Entity;Person")));
        let (header, rows) = read(&files.relationships);
        assert_eq!(header[..3], [":START_ID", ":END_ID", ":TYPE"]);
        assert!(header.contains(&"count:long".to_string()));
        assert!(header.contains(&"first_date:date".to_string()));
        assert!(header.contains(&"symmetric:boolean".to_string()));
        assert_eq!(rows.len(), out.view.edges.len());
        for row in &rows {
            assert!(files.cypher.contains(&format!("row.`:TYPE` = '{}'", row[2])));
        }
        for column in &header[3..] {
            assert!(files.cypher.contains(&format!("row.`{column}`")), "{column} not loaded");
        }
    }

    #[test]
    fn types_and_labels_are_sanitised() {
        assert_eq!(relationship_type("express concern"), "EXPRESS_CONCERN");
        assert_eq!(relationship_type("interacts with"), "INTERACTS_WITH");
        assert_eq!(relationship_type("`x` -- 'y'"), "X_Y");
        assert_eq!(relationship_type("12"), "REL_12");
        assert_eq!(relationship_type(""), "REL_");
        assert_eq!(label("organization"), "Organization");
        assert_eq!(label("a'b"), "Ab");
    }
}
