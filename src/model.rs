//! The typed vocabulary shared by every stage: entities, CAMEO codes, actions, events and
//! their provenance. `events.jsonl` is the serialised form of [`Event`], a contract that users
//! and the evaluation read, so its field names are fixed here and nowhere else.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

/// Stable identifier of an entity across articles, e.g. `person:vladimir-putin`, `state:RUS`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl EntityId {
    /// Builds the identifier of an entity of `kind` from its canonical name (or ISO code for states).
    pub fn new(kind: EntityKind, key: &str) -> EntityId {
        let prefix = kind.as_str();
        let mut id = String::with_capacity(prefix.len() + 1 + key.len());
        id.push_str(prefix);
        id.push(':');
        match kind {
            EntityKind::State => id.extend(key.chars().map(|c| c.to_ascii_uppercase())),
            _ => push_slug(&mut id, key),
        }
        EntityId(id)
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case ASCII slug of a name: diacritics folded, runs of other characters become `-`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    push_slug(&mut slug, name);
    slug
}

/// Appends the slug of `name` to `out`. An ASCII name skips the transliteration, which copies
/// it: ids are made for every entity of every event.
fn push_slug(out: &mut String, name: &str) {
    let folded = if name.is_ascii() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(name))
    };
    let start = out.len();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if out.len() > start && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.len() > start && out.ends_with('-') {
        out.pop();
    }
}

/// What sort of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named individual.
    Person,
    /// A country or its government.
    State,
    /// An intergovernmental organisation or one of its bodies.
    Organization,
    /// A non-state armed group.
    Group,
    /// A region, territory or conflict zone.
    Place,
    /// An issue that is talked about (ceasefire, trade, terrorism).
    Issue,
    /// A capitalised name the lexicon does not know and no pattern classifies.
    Unknown,
}

impl EntityKind {
    /// The lower-case name used in records and identifiers.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::State => "state",
            EntityKind::Organization => "organization",
            EntityKind::Group => "group",
            EntityKind::Place => "place",
            EntityKind::Issue => "issue",
            EntityKind::Unknown => "unknown",
        }
    }

    /// Whether entities of this kind can act (be an actor or a participant).
    pub fn can_act(self) -> bool {
        matches!(
            self,
            EntityKind::Person
                | EntityKind::State
                | EntityKind::Organization
                | EntityKind::Group
                | EntityKind::Unknown
        )
    }
}

/// A resolved entity as it appears in events and the graph. Its fields are shared, so a copy
/// costs a reference count: the rules copy entities into every event, mention and pronoun slot,
/// and copying their strings was a tenth of a build. Read the fields through it
/// (`entity.name`); writing one (`entity.name = …`) copies them first if they are shared.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Entity(Arc<EntityFields>);

impl From<EntityFields> for Entity {
    fn from(fields: EntityFields) -> Entity {
        Entity(Arc::new(fields))
    }
}

impl std::ops::Deref for Entity {
    type Target = EntityFields;

    fn deref(&self) -> &EntityFields {
        &self.0
    }
}

impl std::ops::DerefMut for Entity {
    fn deref_mut(&mut self) -> &mut EntityFields {
        Arc::make_mut(&mut self.0)
    }
}

impl fmt::Debug for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entity")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("country", &self.country)
            .finish()
    }
}

/// The fields of an [`Entity`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityFields {
    /// Stable identifier.
    pub id: EntityId,
    /// Canonical display name.
    pub name: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// ISO 3166 alpha-3 code of the country the entity belongs to, if any.
    pub country: Option<String>,
}

/// A CAMEO event code such as `042`; its first two digits are the root category. The code is
/// shared, so copying it into every event costs a reference count, not an allocation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cameo(Arc<str>);

impl Cameo {
    /// Parses a CAMEO code: two to four digits whose root is 01–20.
    pub fn parse(code: &str) -> Option<Cameo> {
        let ok_len = (2..=4).contains(&code.len());
        if !ok_len || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let root: u8 = code[..2].parse().ok()?;
        (1..=20).contains(&root).then(|| Cameo(Arc::from(code)))
    }

    /// The full code, e.g. `"042"`.
    pub fn code(&self) -> &str {
        &self.0
    }

    /// The root category, the first two digits (`"04"`).
    pub fn root(&self) -> &str {
        &self.0[..2]
    }

    fn root_number(&self) -> u8 {
        self.root().parse().unwrap_or(0)
    }

    /// GDELT/ICEWS quad class of the root.
    pub fn quad_class(&self) -> QuadClass {
        match self.root_number() {
            1..=5 => QuadClass::VerbalCooperation,
            6..=8 => QuadClass::MaterialCooperation,
            9..=13 => QuadClass::VerbalConflict,
            _ => QuadClass::MaterialConflict,
        }
    }

    /// Goldstein conflict–cooperation score of the root code (−10 to +10).
    pub fn goldstein(&self) -> f64 {
        const ROOT_GOLDSTEIN: [f64; 20] = [
            0.0, 3.0, 4.0, 1.0, 3.5, 6.0, 7.0, 5.0, -2.0, -5.0, -2.0, -4.0, -6.0, -6.5, -7.2, -4.0,
            -7.0, -9.0, -10.0, -10.0,
        ];
        ROOT_GOLDSTEIN[usize::from(self.root_number().clamp(1, 20)) - 1]
    }
}

impl fmt::Display for Cameo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The four GDELT/ICEWS quad classes of CAMEO roots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadClass {
    /// Roots 01–05.
    VerbalCooperation,
    /// Roots 06–08.
    MaterialCooperation,
    /// Roots 09–13.
    VerbalConflict,
    /// Roots 14–20.
    MaterialConflict,
}

impl QuadClass {
    /// True for the cooperation classes (CAMEO roots 01–08), false for conflict (09–20).
    pub fn is_cooperation(self) -> bool {
        matches!(self, QuadClass::VerbalCooperation | QuadClass::MaterialCooperation)
    }

    /// The snake_case label used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            QuadClass::VerbalCooperation => "verbal_cooperation",
            QuadClass::MaterialCooperation => "material_cooperation",
            QuadClass::VerbalConflict => "verbal_conflict",
            QuadClass::MaterialConflict => "material_conflict",
        }
    }
}

/// What was done: a verb lemma or short verb phrase and its CAMEO code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct Action {
    /// Lemma such as `discuss` or `express concern`, shared with the lexicon's entry.
    pub verb: Arc<str>,
    /// CAMEO code of the action.
    pub cameo: Cameo,
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Record<'a> {
            verb: &'a str,
            cameo: &'a str,
            root: &'a str,
        }
        Record { verb: &self.verb, cameo: self.cameo.code(), root: self.cameo.root() }
            .serialize(serializer)
    }
}

/// The article an event comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleRef {
    /// Article identifier (file stem, or file stem and line for JSON Lines).
    pub id: String,
    /// Source URL when the article has one.
    pub url: Option<String>,
    /// Headline when the article has one.
    pub title: Option<String>,
    /// Publication date when known.
    pub published: Option<NaiveDate>,
}

/// The sentence an event was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SentenceRef {
    /// Position of the sentence in the article (0 is the headline).
    pub index: usize,
    /// The sentence as written, shared by the events read from it.
    pub text: Arc<str>,
}

/// One coded event: who did what, about what, with whom, when, and where it was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Event {
    /// Source article, shared by the article's events: a build makes hundreds of thousands
    /// of events, and copying the article's strings into each was several allocations apiece.
    pub article: Arc<ArticleRef>,
    /// Source sentence.
    pub sentence: SentenceRef,
    /// Who acts.
    pub actor: Entity,
    /// What is done.
    pub action: Action,
    /// What it is about, if anything.
    pub topic: Option<Entity>,
    /// Counterparts, recipients or targets.
    pub participants: Vec<Entity>,
    /// When it happened (the article's date unless the sentence says otherwise).
    pub date: Option<NaiveDate>,
    /// True where swapping actor and a participant states the same fact.
    pub symmetric: bool,
}

/// Where one report of an edge was read: article and sentence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// Article identifier.
    pub article: String,
    /// Article URL, when known.
    pub url: Option<String>,
    /// Sentence index in the article.
    pub sentence_index: usize,
    /// Sentence text.
    pub sentence: String,
    /// Date of the event in that report.
    pub date: Option<NaiveDate>,
}

impl Event {
    /// The provenance record of this event.
    pub fn provenance(&self) -> Provenance {
        Provenance {
            article: self.article.id.clone(),
            url: self.article.url.clone(),
            sentence_index: self.sentence.index,
            sentence: self.sentence.text.to_string(),
            date: self.date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The slug as first written: transliterate, lower-case, then keep letters and digits with
    /// one hyphen between runs.
    fn slugify_by_copies(name: &str) -> String {
        let folded = deunicode::deunicode(name).to_ascii_lowercase();
        let mut slug = String::new();
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        slug
    }

    proptest! {
        #[test]
        fn slugs_and_ids_are_those_of_the_copying_slugify(name in "[ -~éçØß–’]{0,24}") {
            prop_assert_eq!(slugify(&name), slugify_by_copies(&name));
            let id = EntityId::new(EntityKind::Person, &name);
            prop_assert_eq!(id.as_str(), format!("person:{}", slugify_by_copies(&name)));
            let state = EntityId::new(EntityKind::State, &name);
            prop_assert_eq!(state.as_str(), format!("state:{}", name.to_ascii_uppercase()));
        }
    }

    #[test]
    fn ids_fold_accents_and_join_words_with_one_hyphen() {
        assert_eq!(
            EntityId::new(EntityKind::Person, "  Recep Tayyip  Erdoğan ").as_str(),
            "person:recep-tayyip-erdogan"
        );
        assert_eq!(
            EntityId::new(EntityKind::Issue, "Côte d'Ivoire talks!").as_str(),
            "issue:cote-d-ivoire-talks"
        );
        assert_eq!(EntityId::new(EntityKind::State, "tur").as_str(), "state:TUR");
    }

    #[test]
    fn cameo_parses_codes_and_rejects_bad_ones() {
        let code = Cameo::parse("042").expect("valid code");
        assert_eq!(code.root(), "04");
        assert_eq!(code.quad_class(), QuadClass::VerbalCooperation);
        assert!(Cameo::parse("21").is_none());
        assert!(Cameo::parse("00").is_none());
        assert!(Cameo::parse("4").is_none());
        assert!(Cameo::parse("19a").is_none());
        assert_eq!(Cameo::parse("190").map(|c| c.goldstein()), Some(-10.0));
        assert_eq!(Cameo::parse("163").map(|c| c.quad_class()), Some(QuadClass::MaterialConflict));
    }

    #[test]
    fn entity_ids_are_stable_slugs() {
        assert_eq!(
            EntityId::new(EntityKind::Person, "Recep Tayyip Erdoğan").as_str(),
            "person:recep-tayyip-erdogan"
        );
        assert_eq!(EntityId::new(EntityKind::State, "tur").as_str(), "state:TUR");
        assert_eq!(slugify("  Côte d'Ivoire "), "cote-d-ivoire");
    }

    #[test]
    fn action_serialises_with_root() {
        let action = Action { verb: "discuss".into(), cameo: Cameo::parse("040").expect("code") };
        let json = serde_json::to_string(&action).expect("serialises");
        assert_eq!(json, r#"{"verb":"discuss","cameo":"040","root":"04"}"#);
    }
}
