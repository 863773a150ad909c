//! Events from sentences. For every action trigger the extractor finds, without a parser, the
//! actor (the nearest subject to the left, or the agent of a passive), the participants (direct
//! objects that are actors, `with X`, `between X and Y`) and the topics (places and issues after
//! the verb, lists expanded), then resolves coreference within the article: pronouns, surnames,
//! `his Turkish counterpart`, `the two leaders`. Negated, modal and embedded (`agreed to sign`)
//! triggers give no event of their own.

pub mod dates;
pub mod mentions;
pub mod words;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::article::Article;
use crate::lexicon::{Lexicon, ObjectRule, Trigger, WordBits};
use crate::model::{
    Action, ArticleRef, Cameo, Entity, EntityFields, EntityId, EntityKind, Event, SentenceRef,
};
use crate::text::{article_sentences, fold, tokenize, Sentence, Token, WordHashSet};
use mentions::{find_mentions, title_of, Definite, LocalNames, Mention, Pronoun, Referent};
use words::WordSet;

/// Extracts events from articles with one lexicon.
#[derive(Debug, Clone, Copy)]
pub struct Extractor<'a> {
    lexicon: &'a Lexicon,
}

/// Why an event was produced: the trigger and lexicon entries used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    /// The words that triggered the action.
    pub trigger: String,
    /// The rule that found the actor.
    pub actor_rule: String,
    /// Lexicon entries or rules behind the mentions used.
    pub mentions: Vec<String>,
}

/// The offices a country's "leader" may hold, most senior first.
const LEADER_ROLES: [&str; 7] =
    ["president", "king", "queen", "emir", "supreme leader", "chancellor", "prime minister"];

/// Words that end a clause for topic and subject search.
static CLAUSE_BREAKS: WordSet = WordSet::new(&[
    ";",
    "despite",
    "while",
    "whereas",
    "which",
    "who",
    "whom",
    "but",
    "although",
    "though",
    "because",
    "since",
    "after",
    "before",
    "when",
    "where",
    "said",
    "says",
    "told",
    "added",
    "stated",
    "saying",
    "adding",
    "noting",
    "referring",
    "citing",
    "according",
    "amid",
    "until",
    "if",
    "unless",
    "whether",
    "once",
    "announced",
    "reported",
    "reports",
]);

/// Nouns of quantity that stand between a verb and its noun ("a raft of sanctions").
static QUANTITY_NOUNS: WordSet = WordSet::new(&[
    "raft", "series", "package", "round", "number", "set", "range", "batch", "host", "slew",
    "wave", "string", "flurry", "barrage",
]);

/// Common verbs that, after `and`, start a new clause rather than continue a list.
static CLAUSE_VERBS: WordSet = WordSet::new(&[
    "started",
    "began",
    "continued",
    "said",
    "added",
    "announced",
    "decided",
    "stressed",
    "noted",
    "called",
    "urged",
    "warned",
    "agreed",
    "signed",
    "held",
    "met",
    "left",
    "returned",
    "says",
    "adds",
    "will",
    "would",
    "has",
    "have",
    "had",
    "is",
    "was",
    "are",
    "were",
]);

/// Verbs that introduce reported content.
static REPORTING_VERBS: WordSet = WordSet::new(&[
    "said",
    "says",
    "announced",
    "announces",
    "told",
    "stated",
    "added",
    "reported",
]);

/// Words before a trigger that make it negated, hypothetical or merely expected.
static NOT_FACTUAL: WordSet = WordSet::new(&[
    "not", "n't", "never", "no", "may", "might", "would", "could", "should", "will", "shall",
    "can", "cannot", "must", "if", "unless", "failed", "fails", "without", "whether",
]);

/// Verbs after which `to VERB` is a real act (`decided to suspend`), not an embedded intention.
static DECISION_VERBS: WordSet = WordSet::new(&[
    "decided",
    "decides",
    "voted",
    "votes",
    "moved",
    "resolved",
    "chose",
    "began",
    "started",
    "continued",
    "went",
    "managed",
    "proceeded",
    "order",
    "ordered",
    "opted",
]);

static PREPOSITIONS: WordSet = WordSet::new(&[
    "of",
    "with",
    "in",
    "to",
    "from",
    "by",
    "for",
    "on",
    "at",
    "against",
    "between",
    "over",
    "about",
    "into",
    "under",
    "among",
    "through",
    "towards",
    "toward",
    "via",
    "within",
    "regarding",
    "concerning",
    "despite",
    "amid",
    "near",
    "across",
    "during",
    "including",
    "like",
    "than",
    "'s",
]);

static BE_FORMS: WordSet =
    WordSet::new(&["is", "are", "was", "were", "be", "been", "being", "has", "have", "had"]);

static DETERMINERS: WordSet = WordSet::new(&[
    "the", "a", "an", "his", "her", "their", "its", "our", "this", "these", "that", "those",
    "some", "all", "any", "further", "more", "new", "fresh",
]);

/// Words that end a noun phrase read as a topic: conjunctions, modals, pronouns.
static NOT_IN_TOPIC: WordSet = WordSet::new(&[
    "so",
    "what",
    "which",
    "whom",
    "whose",
    "where",
    "when",
    "why",
    "how",
    "following",
    "after",
    "before",
    "since",
    "until",
    "ahead",
    "while",
    "and",
    "or",
    "nor",
    "neither",
    "either",
    "that",
    "to",
    "which",
    "who",
    "as",
    "but",
    "would",
    "will",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "not",
    "no",
    "they",
    "he",
    "she",
    "it",
    "we",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "did",
]);

/// Head words that are too generic to be a topic on their own.
static GENERIC_TOPICS: WordSet = WordSet::new(&[
    "issue",
    "issues",
    "activities",
    "work",
    "role",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "several",
    "agreements",
    "documents",
    "matter",
    "matters",
    "situation",
    "it",
    "them",
    "this",
    "that",
    "details",
    "detail",
    "way",
    "ways",
    "steps",
    "step",
    "measures",
    "things",
    "topics",
    "questions",
    "question",
    "aspects",
    "range",
    "number",
    "need",
    "importance",
    "plans",
    "possibility",
    "prospects",
    "efforts",
    "what",
    "how",
    "who",
    "other",
    "another",
    "one",
    "two",
    "each",
]);

/// What a state closes or opens in an action pattern ("close the border"); the pattern's
/// topic when the sentence names no other.
static CLOSABLE: WordSet =
    WordSet::new(&["border", "borders", "airspace", "embassy", "consulate", "ports"]);

/// Nouns of intention; followed by `to VERB`, what the verb acts on is the topic.
static INTENT_NOUNS: WordSet = WordSet::new(&[
    "wish",
    "desire",
    "need",
    "plan",
    "plans",
    "intention",
    "readiness",
    "willingness",
    "commitment",
    "determination",
    "resolve",
    "eagerness",
    "efforts",
    "decision",
]);

/// Heads of a phrase that carries words to someone; what they are about is the topic.
static MESSAGE_NOUNS: WordSet = WordSet::new(&[
    "message",
    "messages",
    "letter",
    "letters",
    "note",
    "words",
    "condolence",
    "condolences",
    "congratulations",
    "greetings",
    "sympathy",
]);

#[derive(Debug, Clone)]
struct TriggerHit {
    start: usize,
    end: usize,
    action: usize,
    nominal: bool,
    passive: bool,
}

/// Article-wide state for coreference.
#[derive(Debug, Default)]
struct Context {
    date: Option<NaiveDate>,
    pair: Option<(Entity, Entity)>,
    last_person: Option<Entity>,
    last_thing: Option<Entity>,
    last_state: Option<Entity>,
    /// The latest state named in any role, for `the country`.
    last_state_named: Option<Entity>,
    last_acting_thing: Option<Entity>,
    last_organization: Option<Entity>,
    organizations: Vec<Entity>,
    last_group: Vec<Entity>,
    people: Vec<(Entity, Option<String>)>,
    /// Titles the article gives its people ("Director General Jane Roe"), by role key.
    titles: Vec<(Entity, String)>,
    local: LocalNames,
}

/// Where a sentence's events go, and whether each is to carry its explanation.
struct Output<'a> {
    events: &'a mut Vec<(Event, Explanation)>,
    explain: bool,
}

/// The subject found for a trigger: the entities and how they were found.
struct Subject {
    members: Vec<Entity>,
    rule: &'static str,
    /// True when the subject is a pair phrase: one event, the second as participant.
    pair: bool,
}

impl<'a> Extractor<'a> {
    /// An extractor using `lexicon`.
    pub fn new(lexicon: &'a Lexicon) -> Extractor<'a> {
        Extractor { lexicon }
    }

    /// The events of one article, in sentence order.
    pub fn extract(&self, article: &Article) -> Vec<Event> {
        self.extract_counting(article).0
    }

    /// The events of one article and its number of sentences (for throughput figures, without
    /// splitting the article a second time).
    pub fn extract_counting(&self, article: &Article) -> (Vec<Event>, usize) {
        let (events, sentences) = self.explained_counting(article, false);
        (events.into_iter().map(|(event, _)| event).collect(), sentences)
    }

    /// The events of one article with the reason for each.
    pub fn extract_explained(&self, article: &Article) -> Vec<(Event, Explanation)> {
        self.explained_counting(article, true).0
    }

    /// The events and their number of sentences; with `explain` false the explanations are
    /// left empty, since writing out every mention costs a build time it never shows.
    fn explained_counting(
        &self,
        article: &Article,
        explain: bool,
    ) -> (Vec<(Event, Explanation)>, usize) {
        let sentences = article_sentences(article);
        let mut context = Context { date: article.meta.published, ..Context::default() };
        let tokenized: Vec<Vec<Token>> = sentences.iter().map(|s| tokenize(&s.text)).collect();
        let first_pass = self.collect_people(&tokenized, &mut context);
        // One copy of the article's identity for all its events, each holding a reference.
        let meta = Arc::new(article.meta.clone());
        let mut events = Vec::new();
        for ((sentence, tokens), (mentions, version)) in
            sentences.iter().zip(&tokenized).zip(first_pass)
        {
            // The first pass's mentions stand unless a name learnt after they were found
            // starts at one of the sentence's words.
            let mentions = if context.local.learnt_since(version, tokens) {
                find_mentions(tokens, self.lexicon, &context.local)
            } else {
                mentions
            };
            let out = Output { events: &mut events, explain };
            self.sentence_events(&meta, sentence, tokens, mentions, &mut context, out);
        }
        (drop_redundant_topicless(events), sentences.len())
    }

    /// First pass: people named with a title anywhere in the article, for surnames and
    /// counterparts. Returns each sentence's mentions with the version of the local names
    /// they were found with.
    fn collect_people(
        &self,
        sentences: &[Vec<Token>],
        context: &mut Context,
    ) -> Vec<(Vec<Mention>, usize)> {
        let mut found = Vec::with_capacity(sentences.len());
        for tokens in sentences {
            let version = context.local.version();
            let mentions = find_mentions(tokens, self.lexicon, &context.local);
            for mention in &mentions {
                let entity = match &mention.referent {
                    Referent::Entity(entity) => entity.clone(),
                    // "Vietnamese PM" names a lexicon person; later "Dung" alone is the same one.
                    Referent::Office { country, role } => {
                        let iso = country.country.as_deref().unwrap_or("");
                        let Some(id) = self.lexicon.office_holder(iso, role, context.date) else {
                            continue;
                        };
                        let person = self.lexicon.entity(id).entity.clone();
                        let last: Vec<String> = person
                            .name
                            .split_whitespace()
                            .last()
                            .map(|w| tokenize(w).into_iter().map(|t| t.norm.into_owned()).collect())
                            .unwrap_or_default();
                        if last.len() == 1 {
                            context.local.add(&last, person.clone(), false);
                        }
                        person
                    }
                    _ => continue,
                };
                if !matches!(entity.kind, EntityKind::Person | EntityKind::Unknown) {
                    continue;
                }
                // Looked for only now: most mentions are states and organisations.
                if let Some(role) = title_of(tokens, mention, self.lexicon) {
                    if !context.titles.iter().any(|(p, r)| p.id == entity.id && *r == role) {
                        context.titles.push((entity.clone(), role));
                    }
                }
                let new_name =
                    matches!(mention.source, "title + new name" | "unknown capitalised name");
                if new_name && matches!(entity.kind, EntityKind::Person | EntityKind::Unknown) {
                    let words: Vec<String> = tokens[mention.start..mention.end]
                        .iter()
                        .rev()
                        .take_while(|t| t.is_capitalised())
                        .map(|t| t.norm.to_string())
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let name_words = &words
                        [words.len().saturating_sub(entity.name.split_whitespace().count())..];
                    // Only a person is later called by the last word of the name alone.
                    context.local.add(
                        name_words,
                        entity.clone(),
                        entity.kind == EntityKind::Person,
                    );
                }
                if entity.kind == EntityKind::Person
                    && !context.people.iter().any(|(p, _)| p.id == entity.id)
                {
                    let country = entity.country.clone();
                    context.people.push((entity, country));
                }
            }
            found.push((mentions, version));
        }
        found
    }

    fn sentence_events(
        &self,
        article: &Arc<ArticleRef>,
        sentence: &Sentence,
        tokens: &[Token],
        mut mentions: Vec<Mention>,
        context: &mut Context,
        out: Output<'_>,
    ) {
        self.resolve_in_sentence_pronouns(tokens, &mut mentions);
        let triggers = self.find_triggers(tokens, &mentions);
        let date = dates::event_date(tokens, context.date);
        // Copied once the sentence yields an event, then shared by all its events: most
        // sentences yield none.
        let mut text: Option<Arc<str>> = None;
        let factual: Vec<bool> = triggers
            .iter()
            .enumerate()
            .map(|(k, t)| is_factual(tokens, t, &triggers[..k]))
            .collect();
        for (index, trigger) in triggers.iter().enumerate() {
            let action = self.lexicon.action(trigger.action);
            // "The two countries will work together": a cooperative act announced for the
            // future is the intent to do it (CAMEO 03), not the act.
            let intent = !factual[index]
                && matches!(action.cameo.root(), "04" | "05" | "06")
                && announced_future(tokens, trigger, &triggers[..index]);
            if (!factual[index] && !intent)
                || headline_passive(tokens, trigger)
                || modifying_gerund(tokens, trigger)
            {
                continue;
            }
            let cameo = if intent {
                let code = match action.cameo.root() {
                    "04" => "036",
                    "06" => "031",
                    _ => "030",
                };
                Cameo::parse(code).unwrap_or_else(|| action.cameo.clone())
            } else {
                action.cameo.clone()
            };
            // The scope of a verb ends at the next verb that states an act of its own.
            let next_verb = triggers[index + 1..]
                .iter()
                .zip(&factual[index + 1..])
                .find(|(t, &f)| !t.nominal && f)
                .map_or(tokens.len(), |(t, _)| t.start);
            let scope_end = clause_end(tokens, trigger.end).min(next_verb);
            let mut participants = Vec::new();
            let mut subject = None;
            if trigger.passive {
                subject = self.passive_agent(tokens, &mentions, trigger, scope_end, context);
                if let Some(patient) = self.passive_patient(tokens, &mentions, trigger, context) {
                    participants.push(patient);
                }
            } else if trigger.nominal {
                if let Some(parties) = self.between_parties(tokens, &mentions, trigger, context) {
                    subject = Some(Subject {
                        members: parties,
                        rule: "nominal event between parties",
                        pair: true,
                    });
                } else if let Some(owner) = self.possessor(tokens, &mentions, trigger, context) {
                    // "the AU's suspension of Guinea": the possessor acts on the `of` object.
                    subject = Some(Subject {
                        members: vec![owner],
                        rule: "possessor of a nominal event",
                        pair: false,
                    });
                    if let Some(target) = self.of_object(tokens, &mentions, trigger, context) {
                        participants.push(target);
                    }
                }
            }
            if subject.is_none() && !trigger.passive {
                subject = self.subject_of(tokens, &mentions, trigger, &triggers[..index], context);
            }
            let Some(subject) = subject else { continue };
            let Some(first) = subject.members.first().cloned() else { continue };
            if !trigger.passive {
                participants.extend(self.objects(
                    tokens,
                    &mentions,
                    trigger,
                    scope_end,
                    action.object,
                    &first,
                    context,
                ));
            }
            // "praised the relations between the two countries", "bilateral ties": a one-party
            // act about the pair's relations has the conversation's other party as participant.
            if participants.is_empty() && !subject.pair && subject.members.len() == 1 {
                if let Some(other) =
                    self.pair_partner(tokens, &mentions, trigger, scope_end, &first, context)
                {
                    participants.push(other);
                }
            }
            // "Responding to an attack by X in Y, Z protested": what is answered is the topic,
            // and for a hostile answer its author is the target.
            let answered = response_span(tokens).filter(|span| span.end <= trigger.start);
            let root = action.cameo.root();
            if let Some(span) = answered.clone() {
                let hostile = matches!(root, "11" | "12" | "13" | "14" | "16");
                if participants.is_empty() && hostile {
                    let author = mentions.iter().find(|m| {
                        span.contains(&m.start)
                            && m.start > 0
                            && tokens[m.start - 1].norm == "by"
                            && self.can_be_actor(&m.referent)
                    });
                    if let Some(author) =
                        author.and_then(|m| self.first_actor(&m.referent, context))
                    {
                        if subject.members.iter().all(|e| e.id != author.id) {
                            participants.push(author);
                        }
                    }
                }
            }
            if action.object == ObjectRule::Party && participants.is_empty() {
                continue;
            }
            let possessed = subject.rule == "possessor of a nominal event";
            if trigger.nominal && participants.is_empty() && subject.members.len() < 2 && !possessed
            {
                // A noun such as "talks" states an event only with its parties.
                continue;
            }
            let mut topics =
                self.topics(tokens, &mentions, trigger, scope_end, action.object, &participants);
            if trigger.passive {
                // "The situation in Idlib was discussed": the topic stands before the verb.
                let clause = clause_start(tokens, trigger.start);
                for m in mentions.iter().filter(|m| m.start >= clause && m.end <= trigger.start) {
                    if let Referent::Entity(e) = &m.referent {
                        let is_topic = matches!(e.kind, EntityKind::Place | EntityKind::Issue);
                        if is_topic && !topics.iter().any(|t| t.id == e.id) {
                            topics.push(e.clone());
                        }
                    }
                }
            }
            // "condemned what it called X": X is the topic, whatever names stand inside it.
            let what_called = tokens[trigger.end..]
                .iter()
                .find(|t| !is_quote(&t.norm))
                .is_some_and(|t| t.norm == "what");
            let topics = if topics.is_empty() || what_called {
                self.phrase_topic(tokens, &mentions, trigger, scope_end, action.object)
                    .map_or_else(Vec::new, |t| vec![t])
            } else {
                // "discussed migration and economic issues": phrases listed beside known topics.
                let mut topics = topics;
                for phrase in list_phrases(tokens, &mentions, trigger.end, scope_end) {
                    add_topic(&mut topics, Some(phrase));
                }
                topics
            };
            let topics = self.as_well_as_topic(tokens, &mentions, trigger.end, scope_end, topics);
            let topics = match answered {
                Some(span) if topics.is_empty() => self.answered_topics(tokens, &mentions, span),
                _ => topics,
            };
            // "shut the border", "closed its airspace": with nothing else named, what the
            // pattern itself closes is the topic.
            let topics = if topics.is_empty() && participants.is_empty() {
                let closed = tokens[trigger.start..trigger.end]
                    .iter()
                    .rfind(|t| CLOSABLE.contains(t.norm()));
                closed
                    .map(|t| {
                        Entity::from(EntityFields {
                            id: EntityId::new(EntityKind::Issue, &t.norm),
                            name: t.norm.to_string(),
                            kind: EntityKind::Issue,
                            country: None,
                        })
                    })
                    .into_iter()
                    .collect()
            } else {
                topics
            };
            // "fired on the boats while they sailed near X": force is about where it happened,
            // wherever the sentence names the place.
            let forceful = matches!(root, "15" | "17" | "18" | "19" | "20");
            let topics = if topics.is_empty() && forceful {
                let place =
                    mentions.iter().filter(|m| m.start >= trigger.end).find_map(|m| {
                        match &m.referent {
                            Referent::Entity(e) if e.kind == EntityKind::Place => Some(e.clone()),
                            _ => None,
                        }
                    });
                place.into_iter().collect()
            } else {
                topics
            };
            let topics =
                self.listed_infinitive_topics(tokens, &mentions, trigger, scope_end, topics);
            // "India and China pulled back": an act stated of both sides with no counterpart is
            // coded once per side, each side the other's participant.
            let joint = subject.members.len() >= 2 && participants.is_empty();
            let actors: Vec<(Entity, Vec<Entity>)> = if action.symmetric || subject.pair {
                let mut others: Vec<Entity> = subject.members[1..].to_vec();
                others.extend(participants.iter().cloned());
                vec![(first.clone(), others)]
            } else if joint {
                subject
                    .members
                    .iter()
                    .map(|a| {
                        let others = subject.members.iter().filter(|o| o.id != a.id).cloned();
                        (a.clone(), others.collect())
                    })
                    .collect()
            } else {
                subject.members.iter().map(|a| (a.clone(), participants.clone())).collect()
            };
            let explanation = if out.explain {
                Explanation {
                    trigger: token_text(tokens, trigger.start, trigger.end),
                    actor_rule: subject.rule.to_string(),
                    mentions: mentions
                        .iter()
                        .map(|m| format!("{} ({})", token_text(tokens, m.start, m.end), m.source))
                        .collect(),
                }
            } else {
                Explanation::default()
            };
            for (actor, others) in actors {
                let mut emitted = false;
                let mut others = others;
                others.retain(|p| p.id != actor.id);
                dedup_by_id(&mut others);
                let symmetric = (action.symmetric || joint) && !others.is_empty();
                // A party to the event is not also its topic.
                let own_topics = topics
                    .iter()
                    .filter(|t| t.id != actor.id && others.iter().all(|o| o.id != t.id));
                // Walked, not collected: two lists here were two allocations for most events.
                let no_topic = own_topics.clone().next().is_none().then_some(None);
                for topic in own_topics.cloned().map(Some).chain(no_topic) {
                    if topic
                        .as_ref()
                        .is_some_and(|t| t.id == actor.id || others.iter().any(|o| o.id == t.id))
                    {
                        continue;
                    }
                    // An event joins its actor to something: a topic or a counterpart.
                    if topic.is_none() && others.is_empty() {
                        continue;
                    }
                    let text = text.get_or_insert_with(|| Arc::from(sentence.text.as_str()));
                    let event = Event {
                        article: Arc::clone(article),
                        sentence: SentenceRef { index: sentence.index, text: Arc::clone(text) },
                        actor: actor.clone(),
                        action: Action { verb: Arc::clone(&action.lemma), cameo: cameo.clone() },
                        topic,
                        participants: others.clone(),
                        date,
                        symmetric,
                    };
                    out.events.push((event, explanation.clone()));
                    emitted = true;
                }
                // Only an actor that did something is remembered for pronouns and pairs.
                if emitted {
                    self.remember(context, &actor, &others, action.cameo.root());
                }
            }
        }
        // "the council" later refers to the latest organisation named with that noun.
        for mention in &mentions {
            if let Referent::Entity(entity) = &mention.referent {
                if entity.kind == EntityKind::State {
                    context.last_state_named = Some(entity.clone());
                }
                if entity.kind == EntityKind::Organization {
                    context.organizations.retain(|o| o.id != entity.id);
                    context.organizations.push(entity.clone());
                }
            }
        }
        // Pronouns later in the article refer to this sentence's subjects: its first person,
        // state and organisation not governed by a preposition.
        // The kinds already noted, a bit each: a set of seven that needs no allocation.
        let mut noted = 0u32;
        for mention in mentions.iter().filter(|m| !preceded_by_preposition(tokens, m.start)) {
            if let Referent::Entity(entity) = &mention.referent {
                let kind = 1u32 << (entity.kind as u32);
                if noted & kind == 0 {
                    noted |= kind;
                    self.note_actor(context, entity);
                }
            }
        }
    }

    fn remember(&self, context: &mut Context, actor: &Entity, others: &[Entity], root: &str) {
        if matches!(actor.kind, EntityKind::State | EntityKind::Organization | EntityKind::Group) {
            context.last_acting_thing = Some(actor.clone());
        }
        self.note_actor(context, actor);
        // The conversation an article is about: the latest consultation or cooperation of two parties.
        let cooperative = matches!(root, "03" | "04" | "05");
        if let [other] = others {
            if cooperative
                && other.kind.can_act()
                && (actor.kind == other.kind || actor.kind == EntityKind::Person)
            {
                context.pair = Some((actor.clone(), other.clone()));
            }
        }
        if !others.is_empty() {
            context.last_group =
                std::iter::once(actor.clone()).chain(others.iter().cloned()).collect();
        }
    }

    fn note_actor(&self, context: &mut Context, entity: &Entity) {
        match entity.kind {
            EntityKind::Person => context.last_person = Some(entity.clone()),
            EntityKind::State | EntityKind::Organization | EntityKind::Group => {
                context.last_thing = Some(entity.clone())
            }
            _ => {}
        }
        match entity.kind {
            EntityKind::State => context.last_state = Some(entity.clone()),
            EntityKind::Organization => context.last_organization = Some(entity.clone()),
            EntityKind::Person => {
                if let Some(state) = self.state_of(entity) {
                    context.last_state = Some(state);
                }
            }
            _ => {}
        }
    }

    fn find_triggers(&self, tokens: &[Token], mentions: &[Mention]) -> Vec<TriggerHit> {
        // Which of the first 256 tokens a mention covers, marked once in bits on the stack:
        // the trigger patterns ask about nearly every token, and scanning the mentions each
        // time cost more than the marking. A later token (in the rare longer sentence) still
        // gets the scan.
        const MARKED: usize = 256;
        let mut covered = [0u64; MARKED / 64];
        for m in mentions {
            for k in m.start..m.end.min(MARKED) {
                covered[k / 64] |= 1 << (k % 64);
            }
        }
        let in_mention = |k: usize| {
            if k < MARKED {
                covered[k / 64] & (1 << (k % 64)) != 0
            } else {
                mentions.iter().any(|m| m.start <= k && k < m.end)
            }
        };
        // The sentence's words, made on the first pattern of two or more words: a pattern
        // matches only where all its later words stand in the sentence.
        let mut sentence_words: Option<WordBits> = None;
        let mut hits: Vec<TriggerHit> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if in_mention(i) {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, &Trigger)> = None;
            for trigger in self.lexicon.triggers_starting_with(&tokens[i].norm) {
                if trigger.words.len() >= 2 {
                    let words = sentence_words.get_or_insert_with(|| {
                        let mut words = WordBits::default();
                        for token in tokens {
                            words.insert(token.norm());
                        }
                        words
                    });
                    if !words.may_hold_all(&trigger.later_words) {
                        continue;
                    }
                }
                if let Some(end) = match_trigger(tokens, i, &trigger.words, &in_mention) {
                    let better = best.is_none_or(|(best_end, best_trigger)| {
                        trigger.words.len() > best_trigger.words.len()
                            || (trigger.words.len() == best_trigger.words.len()
                                && end <= best_end
                                && trigger.nominal == looks_nominal(tokens, i, mentions))
                    });
                    if better {
                        best = Some((end, trigger));
                    }
                }
            }
            if let Some((end, trigger)) = best {
                // "the visit", "the shooting down of": a verb form used as a noun.
                // "Cambodian calls for mediation": after a country adjective it is a noun too.
                let after_adjective = i > 0
                    && matches!(
                        mentions::lexicon_match(tokens, i - 1, self.lexicon),
                        Some((end, crate::lexicon::AliasTarget::Adjective(_))) if end == i
                    );
                let nominal = trigger.nominal
                    || ((looks_nominal(tokens, i, mentions) || after_adjective)
                        && !trigger.participle);
                if nominal && !trigger.nominal {
                    // A verb form read as a noun ("the visit") counts only if the action has nouns.
                    i = end;
                    continue;
                }
                // "was discussed", and the reduced relative "matters discussed by the presidents".
                let by_follows = tokens.get(end).is_some_and(|t| t.norm == "by");
                // "is committed to": a participle with its preposition is a state, not a passive.
                let ends_in_preposition = trigger.words.len() >= 2
                    && matches!(
                        trigger.words.last().map(String::as_str),
                        Some("to" | "with" | "on")
                    );
                let passive = trigger.participle
                    && !trigger.nominal
                    && !ends_in_preposition
                    && (preceded_by_be(tokens, i)
                        || (by_follows && i > 0 && !mentions.iter().any(|m| m.end == i)));
                hits.push(TriggerHit {
                    start: i,
                    end,
                    action: trigger.action,
                    nominal: trigger.nominal,
                    passive,
                });
                i = end;
            } else {
                i += 1;
            }
        }
        hits
    }

    fn resolve(
        &self,
        referent: &Referent,
        actor: Option<&Entity>,
        context: &Context,
    ) -> Vec<Entity> {
        match referent {
            Referent::Entity(entity) => vec![entity.clone()],
            Referent::Office { country, role } => {
                let iso = country.country.as_deref().unwrap_or("");
                let country_leader = self.lexicon.leader_role(iso);
                let leader_roles: Vec<&str> =
                    country_leader.into_iter().chain(LEADER_ROLES).collect();
                let roles: &[&str] = match role.as_str() {
                    "leader" => &leader_roles,
                    // An envoy the article names ("Ambassador Jane Roe") is that person; an
                    // unnamed one stands for the state.
                    "ambassador" => {
                        let named = context
                            .titles
                            .iter()
                            .find(|(p, r)| r == "ambassador" && p.country.as_deref() == Some(iso));
                        return vec![named.map_or_else(|| country.clone(), |(p, _)| p.clone())];
                    }
                    other => &[other][..],
                };
                // A holder the article names wins ("the Greek leader" next to the Greek premier).
                let named = context.people.iter().find(|(person, c)| {
                    c.as_deref() == Some(iso)
                        && self
                            .lexicon
                            .person_roles(&person.id, context.date)
                            .iter()
                            .any(|r| roles.contains(&r.as_str()))
                });
                if let Some((person, _)) = named {
                    return vec![person.clone()];
                }
                for role in roles {
                    if let Some(id) = self.lexicon.office_holder(iso, role, context.date) {
                        return vec![self.lexicon.entity(id).entity.clone()];
                    }
                }
                match context.people.iter().find(|(_, c)| c.as_deref() == Some(iso)) {
                    Some((person, _)) => vec![person.clone()],
                    None => vec![country.clone()],
                }
            }
            Referent::Counterpart { country } => self.counterpart(country, actor, context),
            Referent::Title { role } => self.title_holder(role, context).into_iter().collect(),
            Referent::Group(members) => members.clone(),
            Referent::Pair { states } => match &context.pair {
                Some((a, b)) if *states => {
                    [a, b].into_iter().filter_map(|party| self.state_of(party)).collect()
                }
                // "the two presidents" after talks between two states: the states' leaders.
                Some((a, b)) => [a, b]
                    .into_iter()
                    .map(|party| {
                        if party.kind != EntityKind::State {
                            return party.clone();
                        }
                        let leader =
                            Referent::Office { country: party.clone(), role: "leader".into() };
                        self.resolve(&leader, None, context)
                            .into_iter()
                            .next()
                            .unwrap_or_else(|| party.clone())
                    })
                    .collect(),
                None => Vec::new(),
            },
            Referent::Pronoun(Pronoun::Person) => context.last_person.iter().cloned().collect(),
            Referent::OwnState => {
                let owner = actor.or(context.last_person.as_ref()).or(context.last_thing.as_ref());
                owner.and_then(|o| self.state_of(o)).into_iter().collect()
            }
            // "it" is the state or body that last acted, else the last one named.
            Referent::Pronoun(Pronoun::Thing) => context
                .last_acting_thing
                .as_ref()
                .or(context.last_thing.as_ref())
                .into_iter()
                .cloned()
                .collect(),
            Referent::Definite(Definite::State) => context.last_state.iter().cloned().collect(),
            Referent::Definite(Definite::Country) => context
                .last_state_named
                .as_ref()
                .or(context.last_state.as_ref())
                .into_iter()
                .cloned()
                .collect(),
            Referent::Definite(Definite::Organization(noun)) => {
                let named = context.organizations.iter().rev().find(|org| {
                    fold(&org.name).split(|c: char| !c.is_alphanumeric()).any(|w| w == noun)
                });
                named.or(context.last_organization.as_ref()).into_iter().cloned().collect()
            }
            Referent::Pronoun(Pronoun::Plural) => {
                // "they": the latest group of parties, else the conversation, else the latest
                // organisation or state ("EU ministers … They condemned").
                if context.last_group.len() >= 2 {
                    context.last_group.clone()
                } else if let Some((a, b)) = &context.pair {
                    vec![a.clone(), b.clone()]
                } else {
                    context.last_thing.iter().cloned().collect()
                }
            }
        }
    }

    /// What a fronted `Responding to …,` phrase names: its places and issues, else its noun
    /// phrase.
    fn answered_topics(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        span: std::ops::Range<usize>,
    ) -> Vec<Entity> {
        let named: Vec<Entity> = mentions
            .iter()
            .filter(|m| span.contains(&m.start))
            .filter_map(|m| match &m.referent {
                Referent::Entity(e) if matches!(e.kind, EntityKind::Place | EntityKind::Issue) => {
                    Some(e.clone())
                }
                _ => None,
            })
            .collect();
        if !named.is_empty() {
            return named;
        }
        self.noun_phrase_topic(tokens, mentions, span.start, span.end).into_iter().collect()
    }

    /// The other party of the article's conversation, when the words after the trigger speak
    /// of the pair (`the two countries`, `bilateral`) and `actor` is one of the parties or of
    /// their states.
    fn pair_partner(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        actor: &Entity,
        context: &Context,
    ) -> Option<Entity> {
        let (a, b) = context.pair.as_ref()?;
        let range = trigger.end..scope_end;
        let speaks_of_pair = tokens[range.clone()].iter().any(|t| t.norm == "bilateral")
            || mentions
                .iter()
                .any(|m| range.contains(&m.start) && matches!(m.referent, Referent::Pair { .. }));
        if !speaks_of_pair {
            return None;
        }
        let same_side = |party: &Entity| {
            party.id == actor.id
                || (actor.kind == EntityKind::State
                    && self.state_of(party).is_some_and(|s| s.id == actor.id))
        };
        let other = if same_side(a) {
            b
        } else if same_side(b) {
            a
        } else {
            return None;
        };
        if actor.kind == EntityKind::State {
            return self.state_of(other);
        }
        Some(other.clone())
    }

    /// The person of the article who holds `role`: the latest person named if they hold it,
    /// else the first one the lexicon or the article gives that title.
    fn title_holder(&self, role: &str, context: &Context) -> Option<Entity> {
        let holds = |person: &Entity| {
            context.titles.iter().any(|(p, r)| p.id == person.id && r == role)
                || self.lexicon.person_roles(&person.id, context.date).iter().any(|r| r == role)
        };
        if let Some(last) = context.last_person.as_ref().filter(|p| holds(p)) {
            return Some(last.clone());
        }
        let named = context.people.iter().map(|(p, _)| p).find(|p| holds(p));
        named.or_else(|| context.titles.iter().find(|(_, r)| r == role).map(|(p, _)| p)).cloned()
    }

    /// `he` and `his country` after a person named earlier in the same sentence refer to the
    /// first such person (usually the subject: "Maduro said his country…").
    fn resolve_in_sentence_pronouns(&self, tokens: &[Token], mentions: &mut [Mention]) {
        // "… Modi and Xi had reached when they met": `they` is the pair just named.
        let mut latest_pair: Option<Vec<Entity>> = None;
        for k in 0..mentions.len() {
            if matches!(mentions[k].referent, Referent::Pronoun(Pronoun::Plural)) {
                if let Some(pair) = &latest_pair {
                    mentions[k].referent = Referent::Group(pair.clone());
                }
                continue;
            }
            if k == 0 {
                continue;
            }
            let (a, b) = (&mentions[k - 1], &mentions[k]);
            let joined = b.start == a.end + 1 && tokens[a.end].norm == "and";
            if let (Referent::Entity(x), Referent::Entity(y), true) =
                (&a.referent, &b.referent, joined)
            {
                if x.kind.can_act() && y.kind.can_act() && x.id != y.id {
                    latest_pair = Some(vec![x.clone(), y.clone()]);
                }
            }
        }
        let mut first_person: Option<Entity> = None;
        // "The AU's council reported that it had asked …": `it` is the body that opens the
        // sentence.
        let opening_body = mentions.first().and_then(|m| match &m.referent {
            Referent::Entity(e)
                if matches!(
                    e.kind,
                    EntityKind::State | EntityKind::Organization | EntityKind::Group
                ) =>
            {
                Some(e.clone())
            }
            _ => None,
        });
        for mention in mentions.iter_mut() {
            match &mention.referent {
                Referent::Pronoun(Pronoun::Thing) => {
                    if let Some(body) = &opening_body {
                        mention.referent = Referent::Entity(body.clone());
                    }
                }
                Referent::Entity(e) if e.kind == EntityKind::Person && first_person.is_none() => {
                    first_person = Some(e.clone());
                }
                Referent::Pronoun(Pronoun::Person) => {
                    if let Some(person) = &first_person {
                        mention.referent = Referent::Entity(person.clone());
                    }
                }
                Referent::OwnState => {
                    if let Some(state) = first_person.as_ref().and_then(|p| self.state_of(p)) {
                        mention.referent = Referent::Entity(state);
                    }
                }
                _ => {}
            }
        }
    }

    /// The state an actor belongs to: itself for a state, its country for a person or body.
    fn state_of(&self, entity: &Entity) -> Option<Entity> {
        if entity.kind == EntityKind::State {
            return Some(entity.clone());
        }
        let id = self.lexicon.country(entity.country.as_deref()?)?;
        Some(self.lexicon.entity(id).entity.clone())
    }

    /// The holder of the speaker's office in `country`, or a person of that country named in
    /// the article, or the country itself.
    fn counterpart(
        &self,
        country: &Entity,
        actor: Option<&Entity>,
        context: &Context,
    ) -> Vec<Entity> {
        let iso = country.country.as_deref().unwrap_or("");
        let speaker =
            actor.filter(|a| a.kind == EntityKind::Person).or(context.last_person.as_ref());
        if let Some(speaker) = speaker {
            let roles = self.lexicon.person_roles(&speaker.id, context.date);
            for role in roles {
                if let Some(id) = self.lexicon.office_holder(iso, &role, context.date) {
                    return vec![self.lexicon.entity(id).entity.clone()];
                }
            }
        }
        match context
            .people
            .iter()
            .find(|(p, c)| c.as_deref() == Some(iso) && Some(&p.id) != speaker.map(|s| &s.id))
        {
            Some((person, _)) => vec![person.clone()],
            None => vec![country.clone()],
        }
    }

    fn subject_of(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        earlier: &[TriggerHit],
        context: &Context,
    ) -> Option<Subject> {
        // A verb coordinated with an earlier one shares its subject ("met X and discussed Y").
        if let Some(previous) = earlier.iter().rev().find(|t| !t.nominal && !t.passive) {
            let between = &tokens[previous.end..trigger.start];
            // "…, calling for X": a participle clause shares the main clause's subject.
            let participle_clause = tokens[trigger.start].norm.ends_with("ing")
                && trigger.start > 0
                && tokens[trigger.start - 1].norm == ",";
            // "At its meeting, COREPER also debated": a subject between the verbs is this one's.
            let own_subject = mentions.iter().any(|m| {
                m.start >= previous.end && m.end <= trigger.start && self.can_be_actor(&m.referent)
            });
            let coordinated = trigger.start > 0
                && (matches!(tokens[trigger.start - 1].norm(), "and" | "also")
                    || participle_clause)
                && !(tokens[trigger.start - 1].norm == "also" && own_subject)
                && !between.iter().any(|t| CLAUSE_BREAKS.contains(t.norm()));
            if coordinated && !trigger.nominal {
                let shared = earlier.iter().position(|t| t.start == previous.start).unwrap_or(0);
                return self.subject_of(tokens, mentions, previous, &earlier[..shared], context);
            }
        }
        // "talks with King Salman, who voiced …": a relative pronoun's antecedent acts.
        let mut before = trigger.start;
        while before > 0
            && (is_adverb(&tokens[before - 1].norm)
                || matches!(tokens[before - 1].norm(), "has" | "had" | "have" | "also"))
        {
            before -= 1;
        }
        let relative = before >= 2
            && matches!(tokens[before - 1].norm(), "who" | "which")
            && tokens[before - 2].norm == ",";
        if relative {
            let antecedent = mentions.iter().find(|m| m.end == before - 2);
            if let Some(m) = antecedent.filter(|m| self.can_be_actor(&m.referent)) {
                let members: Vec<Entity> = self
                    .resolve(&m.referent, None, context)
                    .into_iter()
                    .filter(|e| e.kind.can_act())
                    .collect();
                if !members.is_empty() {
                    return Some(Subject {
                        members,
                        rule: "antecedent of a relative pronoun",
                        pair: false,
                    });
                }
            }
        }
        // "Jane Roe, the ministry's spokeswoman, said" and "Lithuania, which borders Belarus,
        // called": the subject stands before an apposition or relative clause set off by commas.
        let mut verb_at = trigger.start;
        while verb_at > 0 && is_adverb(&tokens[verb_at - 1].norm) {
            verb_at -= 1;
        }
        let mut search_end = trigger.start;
        if verb_at > 1 && tokens[verb_at - 1].norm == "," {
            if let Some(opening) = tokens[..verb_at - 1].iter().rposition(|t| t.norm == ",") {
                let aside = &tokens[opening + 1..verb_at - 1];
                let relative =
                    aside.first().is_some_and(|t| matches!(t.norm(), "which" | "who" | "whose"));
                let opened_after_actor = mentions.iter().any(|m| m.end == opening);
                if relative || opened_after_actor {
                    search_end = opening;
                }
            }
        }
        // A verb inside the aside ("EU ministers, meeting on Monday, voiced …") does not
        // bound the subject.
        let limit = earlier
            .iter()
            .rev()
            .filter(|t| t.end <= search_end)
            .find(|t| !t.nominal)
            .map_or(0, |t| t.end);
        let clause = clause_start(tokens, search_end);
        let candidates: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.end <= search_end && m.start >= clause)
            // "a group led by X toppled Y": the leader acts.
            .filter(|m| !preceded_by_preposition(tokens, m.start) || led_by(tokens, m.start))
            // "India's violation had killed": a possessor is not the subject.
            .filter(|m| tokens.get(m.end).is_none_or(|t| t.norm != "'s") || m.end >= search_end)
            .filter(|m| self.can_be_actor(&m.referent))
            .collect();
        let last = *candidates.last()?;
        if last.start < limit && !matches!(last.referent, Referent::Pronoun(_)) {
            // The nearest actor belongs to an earlier verb's clause; only a list of actors right
            // before this verb could be its subject, and there is none.
            let gap = &tokens[last.end..trigger.start];
            if gap.iter().any(|t| t.is_word() && !is_adverb(&t.norm)) {
                return None;
            }
        }
        // Extend leftwards over a coordinated list: "X, Y and Z".
        let mut group = vec![last];
        for m in candidates.iter().rev().filter(|m| m.end <= last.start) {
            let gap = &tokens[m.end..group[0].start];
            // "X, Y and Z", "X as well as Y" — but not "Indonesia, as ASEAN chair".
            let as_well_as = gap.iter().any(|t| t.norm == "well");
            let is_list = !gap.is_empty()
                && gap.len() <= 3
                && gap.iter().all(|t| {
                    matches!(t.norm(), "," | "and" | "&")
                        || (as_well_as && matches!(t.norm(), "as" | "well"))
                });
            if !is_list {
                break;
            }
            group.insert(0, m);
        }
        let pair = group.len() == 1
            && matches!(
                group[0].referent,
                Referent::Pair { .. } | Referent::Pronoun(Pronoun::Plural) | Referent::Group(_)
            );
        let mut members: Vec<Entity> = Vec::new();
        for m in &group {
            for entity in self.resolve(&m.referent, members.first(), context) {
                if !members.iter().any(|e| e.id == entity.id) {
                    members.push(entity);
                }
            }
        }
        members.retain(|e| e.kind.can_act());
        let rule = match group[0].referent {
            Referent::Pair { .. } => "pair phrase resolved to the conversation's parties",
            Referent::Pronoun(_) => "pronoun resolved to the latest actor",
            _ if group.len() > 1 => "coordinated subject before the verb",
            _ => "nearest subject before the verb",
        };
        (!members.is_empty()).then_some(Subject { members, rule, pair })
    }

    fn can_be_actor(&self, referent: &Referent) -> bool {
        match referent {
            Referent::Entity(e) => e.kind.can_act(),
            _ => true,
        }
    }

    fn passive_agent(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        context: &Context,
    ) -> Option<Subject> {
        let by = (trigger.end..scope_end).find(|&k| tokens[k].norm == "by");
        let mention = by.and_then(|by| {
            mentions
                .iter()
                .find(|m| m.start > by && m.start <= by + 3 && self.can_be_actor(&m.referent))
        });
        match mention {
            Some(m) => {
                let members: Vec<Entity> = self
                    .resolve(&m.referent, None, context)
                    .into_iter()
                    .filter(|e| e.kind.can_act())
                    .collect();
                (!members.is_empty()).then_some(Subject {
                    members,
                    rule: "agent of a passive",
                    pair: false,
                })
            }
            None => None,
        }
        .or_else(|| {
            // "Developments were discussed", "an agreement was signed": a cooperative act
            // without an agent belongs to the article's conversation.
            let action = self.lexicon.action(trigger.action);
            let (a, b) = context.pair.clone()?;
            matches!(action.cameo.root(), "03" | "04" | "05").then(|| Subject {
                members: vec![a, b],
                rule: "agentless passive of the conversation",
                pair: true,
            })
        })
        .or_else(|| {
            // "The ministry said the envoy was summoned": the one who reports it did it.
            let reporter = self.reporter(tokens, mentions, context)?;
            Some(Subject {
                members: vec![reporter],
                rule: "agentless passive of the reporter",
                pair: false,
            })
        })
    }

    /// Who reports the sentence's content: the subject of `said`, `announced`, `told` either
    /// before the verb ("the ministry said that…") or after it ("…, the ministry said").
    fn reporter(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        context: &Context,
    ) -> Option<Entity> {
        let verb = tokens.iter().position(|t| REPORTING_VERBS.contains(t.norm()))?;
        let before = mentions.iter().rev().find(|m| {
            m.end <= verb
                && m.end + 5 >= verb
                && !preceded_by_preposition(tokens, m.start)
                && self.can_be_actor(&m.referent)
        });
        let after = mentions.iter().find(|m| m.start > verb && m.start <= verb + 3);
        let mention = before.or(after)?;
        self.first_actor(&mention.referent, context)
    }

    /// The actor of a nominal event written with a possessive: `Algeria's rejection`.
    fn possessor(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        context: &Context,
    ) -> Option<Entity> {
        let mut k = trigger.start;
        while k > 0 && (is_adverb(&tokens[k - 1].norm) || tokens[k - 1].norm.ends_with("ed")) {
            k -= 1;
        }
        let m = mentions
            .iter()
            .find(|m| m.end == k || (m.end + 1 == k && tokens[m.end].norm == "'s"))?;
        let possessive = tokens[..k].last().is_some_and(|t| t.norm == "'s");
        if !possessive {
            return None;
        }
        self.first_actor(&m.referent, context)
    }

    /// The first entity a mention resolves to that can act.
    fn first_actor(&self, referent: &Referent, context: &Context) -> Option<Entity> {
        self.resolve(referent, None, context).into_iter().find(|e| e.kind.can_act())
    }

    /// The actor right after `of` following a nominal trigger (`suspension of Guinea`).
    fn of_object(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        context: &Context,
    ) -> Option<Entity> {
        if tokens.get(trigger.end).is_none_or(|t| t.norm != "of") {
            return None;
        }
        let m = mentions.iter().find(|m| m.start > trigger.end && m.start <= trigger.end + 2)?;
        self.first_actor(&m.referent, context)
    }

    fn passive_patient(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        context: &Context,
    ) -> Option<Entity> {
        let clause = clause_start(tokens, trigger.start);
        let m = mentions.iter().rfind(|m| {
            m.end <= trigger.start && m.start >= clause && !preceded_by_preposition(tokens, m.start)
        })?;
        if !matches!(
            m.referent,
            Referent::Entity(_) | Referent::Office { .. } | Referent::Counterpart { .. }
        ) {
            return None;
        }
        self.first_actor(&m.referent, context)
    }

    fn between_parties(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        context: &Context,
    ) -> Option<Vec<Entity>> {
        let window = trigger.end..(trigger.end + 4).min(tokens.len());
        let between = window.clone().find(|&k| tokens[k].norm == "between")?;
        let mut parties = Vec::new();
        let mut expect = between + 1;
        for m in mentions.iter().filter(|m| m.start > between) {
            if m.start < expect {
                continue;
            }
            let gap = &tokens[expect..m.start];
            if gap.iter().any(|t| !matches!(t.norm(), "the" | "and" | "," | "president" | "&"))
                && !parties.is_empty()
            {
                break;
            }
            if gap.len() > 3 {
                break;
            }
            parties.extend(
                self.resolve(&m.referent, None, context).into_iter().filter(|e| e.kind.can_act()),
            );
            expect = m.end;
        }
        dedup_by_id(&mut parties);
        (parties.len() >= 2).then_some(parties)
    }

    #[allow(clippy::too_many_arguments)]
    fn objects(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        object: ObjectRule,
        actor: &Entity,
        context: &Context,
    ) -> Vec<Entity> {
        let mut participants = Vec::new();
        // An object inside a split verb ("threw the envoy out") is a direct object.
        for m in mentions.iter().filter(|m| m.start > trigger.start && m.end <= trigger.end) {
            // "voiced his government's backing": a possessor inside the verb is not its object.
            if tokens.get(m.end).is_some_and(|t| t.norm == "'s") {
                continue;
            }
            for entity in self.resolve(&m.referent, Some(actor), context) {
                if entity.kind.can_act() && entity.id != actor.id {
                    participants.push(entity);
                }
            }
        }
        let mut list_open = false;
        for m in mentions.iter().filter(|m| m.start >= trigger.end && m.start < scope_end) {
            let before = tokens[trigger.end..m.start]
                .iter()
                .rev()
                .find(|t| !DETERMINERS.contains(t.norm()) && !is_quote(&t.norm));
            // Only modifiers (determiners, numbers, adjectives) between verb and object.
            let gap = &tokens[trigger.end..m.start];
            // "displeased that the Tajik side…": a judgement's target may open a that-clause.
            let judges =
                matches!(self.lexicon.action(trigger.action).cameo.root(), "11" | "12" | "13");
            let only_modifiers = gap.len() <= 3
                && gap.iter().enumerate().all(|(g, t)| {
                    (judges && g == 0 && t.norm == "that")
                        || ((t.is_word() || is_quote(&t.norm))
                            && !t.is_capitalised()
                            && !PREPOSITIONS.contains(t.norm())
                            && !NOT_IN_TOPIC.contains(t.norm()))
                });
            let direct = only_modifiers && !trigger.nominal;
            // "together with the minister": a companion, not a counterpart.
            let companion = m.start >= 2
                && tokens[..m.start]
                    .iter()
                    .rev()
                    .skip_while(|t| DETERMINERS.contains(t.norm()))
                    .nth(1)
                    .is_some_and(|t| matches!(t.norm(), "together" | "along"));
            // "condemned statements by Dina Mufti": for a judgement, the author is the target.
            let judged_author = before.is_some_and(|t| t.norm == "by")
                && matches!(self.lexicon.action(trigger.action).cameo.root(), "11" | "12");
            // "sanctions aimed at the Venezuelan government": what an act is aimed at is its
            // target.
            let aimed_at = before.is_some_and(|t| t.norm == "at")
                && tokens[trigger.end..m.start].iter().any(|t| {
                    matches!(t.norm(), "aimed" | "directed" | "targeted" | "levelled" | "leveled")
                });
            let counterpart_preposition = (before
                .is_some_and(|t| matches!(t.norm(), "with" | "against" | "to" | "from"))
                || aimed_at)
                && (before.is_some_and(|t| t.norm == "with") || object != ObjectRule::Topic);
            let after_with = !companion && (judged_author || counterpart_preposition);
            let continues_list =
                list_open && before.is_some_and(|t| matches!(t.norm(), "and" | ","));
            let is_actor = match &m.referent {
                Referent::Entity(e) => e.kind.can_act(),
                Referent::Office { .. }
                | Referent::Counterpart { .. }
                | Referent::Title { .. }
                | Referent::Definite(Definite::Country) => true,
                _ => false,
            };
            // "asked for Indonesia's engagement": the possessor of what is asked for takes part.
            let possessor_of_object = tokens.get(m.end).is_some_and(|t| t.norm == "'s")
                && before.is_some_and(|t| matches!(t.norm(), "for" | "on" | "about" | "over"));
            let wanted = is_actor
                && (after_with
                    || continues_list
                    || possessor_of_object
                    || (direct && object != ObjectRule::Topic));
            list_open = wanted;
            if wanted {
                for entity in self.resolve(&m.referent, Some(actor), context) {
                    if entity.kind.can_act() && entity.id != actor.id {
                        participants.push(entity);
                    }
                }
            }
            // "condemned the attack on X": after a direct object that is not an actor, only
            // `with`/`against` phrases still name participants.
            if direct && !wanted && object != ObjectRule::Topic {
                list_open = false;
            }
        }
        // Participants stated after the scope ("…, in a phone call with X").
        for m in mentions.iter().filter(|m| m.start >= scope_end) {
            let before = tokens[..m.start].iter().rev().find(|t| !DETERMINERS.contains(t.norm()));
            if before.is_some_and(|t| t.norm == "with")
                && !clause_breaks_between(tokens, trigger.end, m.start)
            {
                for entity in self.resolve(&m.referent, Some(actor), context) {
                    if entity.kind.can_act() && entity.id != actor.id {
                        participants.push(entity);
                    }
                }
            }
        }
        participants
    }

    fn topics(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        object: ObjectRule,
        participants: &[Entity],
    ) -> Vec<Entity> {
        let mut topics: Vec<Entity> = Vec::new();
        let mut excluded_list = false;
        for m in mentions.iter().filter(|m| m.start >= trigger.end && m.start < scope_end) {
            let Referent::Entity(entity) = &m.referent else { continue };
            if inside_parentheses(tokens, m.start) {
                continue;
            }
            // Skip determiners and modifiers ("over Eastern Ukraine", "about the rising").
            let before = tokens[trigger.end.min(m.start)..m.start].iter().rev().find(|t| {
                !DETERMINERS.contains(t.norm())
                    && !is_quote(&t.norm)
                    && !DIRECTION_WORDS.contains(t.norm())
            });
            let before = before.map_or("", |t| t.norm());
            let in_list = matches!(before, "and" | "," | "or");
            let possessive = tokens.get(m.end).is_some_and(|t| t.norm == "'s")
                || (m.end > 0 && tokens[m.end - 1].norm == "'s");
            // "the leadership of Armenia": an actor after `of` qualifies a noun, it is not a topic.
            let modifier = entity.kind.can_act()
                && (matches!(before, "of" | "between" | "with" | "by" | "from" | "to" | "against")
                    || possessive);
            if in_list && excluded_list {
                continue;
            }
            excluded_list = modifier;
            if participants.iter().any(|p| p.id == entity.id) || modifier {
                continue;
            }
            // "pulled back from the area" but not "terrorists from West Asia".
            let root = self.lexicon.action(trigger.action).cameo.root();
            // "violations … on the Line of Control": after an issue, a place in a locative phrase
            // is where the issue happened, not another topic (but "the situation in Idlib" is).
            let locative = matches!(before, "on" | "along" | "near" | "at" | "in" | "across");
            // Likewise after a place: "at Depsang and Demchok in eastern Ladakh" names where the
            // places are.
            let place_of_issue = entity.kind == EntityKind::Place
                && locative
                && topics.iter().any(|t| matches!(t.kind, EntityKind::Issue | EntityKind::Place))
                && !situation_in(tokens, m.start);
            let is_topic = match entity.kind {
                EntityKind::Place | EntityKind::Issue => {
                    (before != "from" || root == "08") && !place_of_issue
                }
                // People take part in events; they are not what an event is about.
                EntityKind::Person | EntityKind::Unknown => false,
                _ => {
                    // "discussed Syria", "talks about Syria", but not "met at Athens" or "signed
                    // a declaration at a rare Athens meeting".
                    let governed = PREPOSITIONS.contains(before)
                        || tokens[trigger.end.min(m.start)..m.start]
                            .iter()
                            .any(|t| matches!(t.norm(), "at" | "in" | "during" | "after"));
                    (object == ObjectRule::Topic && !trigger.nominal && !governed)
                        || matches!(before, "about" | "on" | "over" | "regarding" | "concerning")
                        || situation_in(tokens, m.start)
                }
            };
            // "ceasefire violations", "migration deal": the issue names a compound topic.
            // A place in conflict is still the place ("the Karabakh conflict" is Karabakh).
            let compound = tokens.get(m.end).is_some_and(|t| {
                let noun = t.norm();
                match entity.kind {
                    EntityKind::Issue => EVENT_NOUNS.contains(noun),
                    EntityKind::Place => {
                        EVENT_NOUNS.contains(noun) && !PLACE_STATE_NOUNS.contains(noun)
                    }
                    _ => false,
                }
            });
            // "over Arab League decisions": an actor named as a topic usually modifies a noun.
            let actor_modifier = entity.kind.can_act()
                && tokens.get(m.end).is_some_and(|t| {
                    t.is_word() && !t.is_capitalised() && !PREPOSITIONS.contains(t.norm())
                });
            let entity = if compound {
                let name = format!("{} {}", token_text(tokens, m.start, m.end), tokens[m.end].text);
                let name = name.trim_start_matches("the ").to_string();
                Entity::from(EntityFields {
                    id: EntityId::new(EntityKind::Issue, &name),
                    name,
                    kind: EntityKind::Issue,
                    country: entity.country.clone(),
                })
            } else if let Some(phrase) = actor_modifier
                .then(|| self.noun_phrase_topic(tokens, mentions, m.start, scope_end))
                .flatten()
            {
                phrase
            } else {
                entity.clone()
            };
            if is_topic && !topics.iter().any(|t| t.id == entity.id) {
                topics.push(entity);
            }
        }
        topics
    }

    /// `topics` and, for an appeal or an intent, what each further listed infinitive acts on
    /// ("urged India to honour the accord, to look into the violations and to protect
    /// civilians").
    fn listed_infinitive_topics(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        mut topics: Vec<Entity>,
    ) -> Vec<Entity> {
        let root = self.lexicon.action(trigger.action).cameo.root();
        let intends = matches!(root, "02" | "03" | "10");
        // "recalled its envoy to protest against the remarks": a purpose whose verb is itself
        // an act says what the main act is about.
        // The end of an act's pattern starting at `verb` ("to take stock of"), if one matches.
        let no_mention = |_: usize| false;
        let act_end = |verb: usize| {
            self.lexicon
                .triggers_starting_with(&tokens[verb].norm)
                .iter()
                .filter(|tr| !tr.nominal)
                .filter_map(|tr| match_trigger(tokens, verb, &tr.words, &no_mention))
                .max()
        };
        let has_topic =
            topics.iter().any(|t| matches!(t.kind, EntityKind::Place | EntityKind::Issue));
        if !intends && has_topic {
            return topics;
        }
        let object_end = |j: usize| {
            mentions.iter().any(|m| {
                m.end == j
                    && m.start >= trigger.end
                    && tokens[trigger.end..m.start].iter().all(|t| DETERMINERS.contains(t.norm()))
            })
        };
        for j in trigger.end..scope_end.saturating_sub(2) {
            let listed =
                j == trigger.end || object_end(j) || matches!(tokens[j - 1].norm(), "," | "and");
            let verb = &tokens[j + 1];
            let act = if tokens[j].norm == "to" && verb.is_word() { act_end(j + 1) } else { None };
            let wanted = if intends { listed } else { act.is_some() };
            if !(wanted && tokens[j].norm == "to" && verb.is_word() && !verb.is_capitalised()) {
                continue;
            }
            if mentions.iter().any(|m| m.start == j + 1) {
                continue;
            }
            let mut after = after_infinitive_verb(tokens, j + 1);
            // "to take stock of X": past the whole pattern and the preposition it governs.
            if let Some(end) = act.filter(|&end| end > after) {
                after = after_infinitive_verb(tokens, end - 1);
                if tokens.get(after).is_some_and(|t| matches!(t.norm(), "of" | "about")) {
                    after += 1;
                }
            }
            add_topic(&mut topics, self.noun_phrase_topic(tokens, mentions, after, scope_end));
        }
        topics
    }

    /// `topics` and the phrase after `as well as` ("took stock of ties, as well as of the
    /// latest developments"), when the list has a first item and no name stands after it.
    fn as_well_as_topic(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        from: usize,
        scope_end: usize,
        mut topics: Vec<Entity>,
    ) -> Vec<Entity> {
        if topics.is_empty() {
            return topics;
        }
        let joined = (from..scope_end.saturating_sub(3)).find(|&j| {
            tokens[j].norm == "as" && tokens[j + 1].norm == "well" && tokens[j + 2].norm == "as"
        });
        let Some(mut k) = joined.map(|j| j + 3) else { return topics };
        if mentions.iter().any(|m| m.start >= k && m.start < scope_end) {
            return topics;
        }
        if tokens.get(k).is_some_and(|t| matches!(t.norm(), "of" | "on" | "about" | "over")) {
            k += 1;
        }
        add_topic(&mut topics, self.noun_phrase_topic(tokens, mentions, k, scope_end));
        topics
    }

    /// A topic that the lexicon does not know, read as the noun phrase after the verb or after
    /// `on`/`about`/`over` ("agreed on further coordination").
    fn phrase_topic(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        trigger: &TriggerHit,
        scope_end: usize,
        object: ObjectRule,
    ) -> Option<Entity> {
        let mut k = trigger.end;
        while k < scope_end && is_quote(&tokens[k].norm) {
            k += 1;
        }
        // "congratulated each other on X": a reciprocal object stands where a party would.
        let reciprocal = tokens.get(k..k + 2).is_some_and(|pair| {
            matches!((pair[0].norm(), pair[1].norm()), ("each" | "one", "other" | "another"))
        });
        if reciprocal
            && tokens
                .get(k + 2)
                .is_some_and(|t| matches!(t.norm(), "on" | "for" | "over" | "about" | "regarding"))
        {
            k += 3;
            return self.noun_phrase_topic(tokens, mentions, k, scope_end);
        }
        let is_intro = |t: &Token| {
            matches!(
                t.norm(),
                "on" | "about" | "over" | "regarding" | "concerning" | "at" | "against"
            )
        };
        // "voiced their shock and deep sadness at X": the preposition may follow a coordinated noun.
        if k < scope_end && tokens[k].norm == "and" {
            let intro = (k + 1..scope_end.min(k + 5)).find(|&j| is_intro(&tokens[j]));
            let plain = |j: usize| tokens[j].is_word() && !tokens[j].is_capitalised();
            if let Some(j) = intro.filter(|&j| (k + 1..j).all(plain)) {
                k = j;
            }
        }
        // Acts of judgement take what they judge as topic ("condemned the attack on X").
        let root = self.lexicon.action(trigger.action).cameo.root().to_string();
        let judges = matches!(root.as_str(), "05" | "09" | "10" | "11" | "12" | "13");
        // "accused Ethiopia of stalling", "praised Kenya for its role": the topic follows the
        // object.
        // "condemned what it called the secret evacuation": the named thing is the topic.
        while k < scope_end && is_quote(&tokens[k].norm) {
            k += 1;
        }
        if judges && tokens.get(k).is_some_and(|t| t.norm == "what") {
            if let Some(called) = (k + 1..scope_end.min(k + 5))
                .find(|&j| matches!(tokens[j].norm(), "called" | "termed" | "described" | "dubbed"))
            {
                let after = if tokens.get(called + 1).is_some_and(|t| t.norm == "as") {
                    called + 2
                } else {
                    called + 1
                };
                return self.noun_phrase_topic(tokens, mentions, after, scope_end);
            }
        }
        // "agreed to restart their talks", "urged Iraq to honour the accord": an intent or an
        // appeal is about what its verb acts on.
        let intends = matches!(root.as_str(), "02" | "03" | "10");
        let infinitive_object = |j: usize| {
            let verb = j + 1;
            let is_verb = tokens.get(j).is_some_and(|t| t.norm == "to")
                && tokens.get(verb).is_some_and(|t| t.is_word() && !t.is_capitalised())
                && mentions.iter().all(|m| m.start != verb);
            let after = after_infinitive_verb(tokens, verb);
            (intends && is_verb && after < scope_end).then_some(after)
        };
        if let Some(after) = infinitive_object(k) {
            return self.noun_phrase_topic(tokens, mentions, after, scope_end);
        }
        // "suspended Syria from League activities": what a party is cut off from.
        let reduces = root == "16";
        let object_mention = mentions.iter().find(|m| {
            m.start >= k && tokens[k..m.start].iter().all(|t| DETERMINERS.contains(t.norm()))
        });
        if let Some(after) = object_mention.and_then(|m| infinitive_object(m.end)) {
            return self.noun_phrase_topic(tokens, mentions, after, scope_end);
        }
        // "congratulated Kenya on its election", "thanked Peru for its help": what an act
        // addressed to a party is about.
        let object_then_reason = object_mention.filter(|m| {
            let next = tokens.get(m.end).map(|t| t.norm());
            matches!(next, Some("of" | "for" | "over"))
                || (reduces && next == Some("from"))
                || (!judges && matches!(next, Some("on" | "about" | "regarding" | "concerning")))
        });
        // A pattern that ends in its preposition ("call for", "appeal for") introduces the topic.
        let pattern_intro = trigger.end > trigger.start + 1
            && matches!(tokens[trigger.end - 1].norm(), "for" | "on" | "about" | "over" | "at");
        // "asked for X", "appealed for X": what an appeal is for is its topic.
        // "voiced support for X": likewise what support or praise is for.
        let appeal_for = matches!(root.as_str(), "02" | "03" | "05" | "10")
            && tokens.get(k).is_some_and(|t| t.norm == "for");
        // "repeated its condemnation of X": a pattern ending in a noun takes `of` X.
        let noun_of =
            trigger.end - trigger.start >= 2 && tokens.get(k).is_some_and(|t| t.norm == "of");
        // "voiced confidence that ties … would grow": a comment is about its clause's subject.
        let comment_that =
            matches!(root.as_str(), "01" | "11") && tokens.get(k).is_some_and(|t| t.norm == "that");
        let introduced =
            k < scope_end && (is_intro(&tokens[k]) || appeal_for || noun_of || comment_that);
        if pattern_intro && !trigger.nominal && mentions.iter().all(|m| m.start != k) {
            // k already stands after the preposition.
        } else if let Some(object) = object_then_reason {
            k = object.end + 1;
        } else if introduced {
            k += 1;
            // "pushed back against Ethiopian calls for mediation": the topic follows the party.
            let party = mentions.iter().find(|m| {
                m.start >= k
                    && tokens[k..m.start].iter().all(|t| DETERMINERS.contains(t.norm()))
                    && self.can_be_actor(&m.referent)
                    && tokens.get(m.end).is_some_and(|t| matches!(t.norm(), "for" | "of" | "over"))
            });
            if let Some(party) = party.filter(|_| judges) {
                k = party.end + 1;
            }
        } else if trigger.nominal || (object != ObjectRule::Topic && !judges) {
            return None;
        }
        // "accusations over who started the clashes": an indirect question is about its object.
        let question = tokens.get(k).is_some_and(|t| matches!(t.norm(), "who" | "whether"))
            && tokens.get(k + 1).is_some_and(|t| t.is_word() && !t.is_capitalised())
            && mentions.iter().all(|m| m.start != k + 1);
        if question {
            k += 2;
        }
        self.noun_phrase_topic(tokens, mentions, k, scope_end)
    }

    /// The noun phrase starting at `k` (after determiners) as an issue, with one `of`/`on`
    /// qualifier; none when it is a time, a number, a participle or too generic.
    fn noun_phrase_topic(
        &self,
        tokens: &[Token],
        mentions: &[Mention],
        mut k: usize,
        scope_end: usize,
    ) -> Option<Entity> {
        // "all of the League's activities", "some of the measures": a quantity before the phrase.
        let quantifier = |k: usize| {
            matches!(
                tokens.get(k).map(|t| t.norm()),
                Some("all" | "some" | "most" | "many" | "each" | "both" | "part" | "one")
            ) && tokens.get(k + 1).is_some_and(|t| t.norm == "of")
        };
        loop {
            if quantifier(k) {
                k += 2;
                continue;
            }
            if k < scope_end
                && (DETERMINERS.contains(tokens[k].norm()) || is_quote(&tokens[k].norm))
            {
                k += 1;
                continue;
            }
            break;
        }
        // "Indonesia's engagement": the possessor is a participant, the thing is the topic.
        let mut possessor_start = None;
        if let Some(owner) =
            mentions.iter().find(|m| m.start <= k && k < m.end && self.can_be_actor(&m.referent))
        {
            if tokens.get(owner.end).is_some_and(|t| t.norm == "'s") {
                possessor_start = Some(k);
                k = owner.end + 1;
                while k < scope_end && is_quote(&tokens[k].norm) {
                    k += 1;
                }
            }
        }
        let after_determiner = k > 0 && DETERMINERS.contains(tokens[k - 1].norm());
        let start = k;
        // "Arab League activities": a name modifying a noun is part of the phrase.
        if let Some(name) = mentions.iter().find(|m| m.start == k) {
            let modifies = tokens.get(name.end).is_some_and(|t| {
                t.is_word()
                    && !t.is_capitalised()
                    && !PREPOSITIONS.contains(t.norm())
                    && !NOT_IN_TOPIC.contains(t.norm())
            });
            if modifies && name.end < scope_end {
                k = name.end;
            }
        }
        while k < scope_end && k - start < 6 {
            let t = &tokens[k];
            // After a determiner a verb form is a noun ("the attack").
            // Inside a phrase, a word that is also a noun trigger is a noun ("trade talks").
            let noun_trigger = k > start
                && self.lexicon.triggers_starting_with(&t.norm).iter().any(|tr| tr.nominal);
            let noun_use = (k == start && after_determiner)
                || (k > start && tokens[k - 1].norm == "'s")
                || noun_trigger;
            // "the president's release": a possessive inside the phrase.
            let possessive = t.norm == "'s" && k > start;
            let stop = (!t.is_word() && !possessive)
                || (possessive && k + 1 >= scope_end)
                || (k > start && DETERMINERS.contains(t.norm()))
                || (PREPOSITIONS.contains(t.norm()) && !possessive)
                || NOT_IN_TOPIC.contains(t.norm())
                || mentions.iter().any(|m| m.start <= k && k < m.end)
                || (!noun_use
                    && self
                        .lexicon
                        .triggers_starting_with(&t.norm)
                        .iter()
                        .any(|tr| !tr.nominal && tr.words.len() == 1));
            // "broad and productive cooperation": coordinated adjectives stay in the phrase.
            let coordinated_adjective = t.norm == "and"
                && k > start
                && adjective_like(&tokens[k - 1].norm)
                && tokens.get(k + 1).is_some_and(|n| n.is_word() && !n.is_capitalised());
            if stop && !coordinated_adjective {
                break;
            }
            k += 1;
        }
        if k == start {
            return None;
        }
        // "Senate President Chea Sim": words before a titled person qualify the title.
        let before_person = mentions.iter().any(|m| {
            m.start == k
                && matches!(&m.referent, Referent::Entity(e) if e.kind == EntityKind::Person)
        });
        if before_person {
            return None;
        }
        let head = tokens[k - 1].norm();
        // "talks attended by": a participle opens a clause, not a noun phrase.
        if !after_determiner && tokens[start].norm.ends_with("ed") {
            return None;
        }
        // "the attack on the convoy", "the evacuation of an Algerian citizen": one qualifier.
        let mut end = k;
        // "relations between India and Bangladesh": both parties belong to the phrase.
        if tokens.get(k).is_some_and(|t| t.norm == "between") {
            let first = mentions.iter().find(|m| m.start == k + 1 || m.start == k + 2);
            let second =
                first.filter(|m| tokens.get(m.end).is_some_and(|t| t.norm == "and")).and_then(
                    |m| mentions.iter().find(|n| n.start == m.end + 1 || n.start == m.end + 2),
                );
            if let Some(second) = second.filter(|n| n.end <= scope_end) {
                end = second.end;
            }
        }
        if end == k
            && matches!(
                tokens.get(k).map(|t| t.norm()),
                Some("of" | "on" | "against" | "for" | "in" | "near" | "into")
            )
        {
            let mut j = k + 1;
            while j < scope_end && DETERMINERS.contains(tokens[j].norm()) {
                j += 1;
            }
            let qualifier_start = j;
            // "in the presence of", "on the sidelines of": set phrases, not qualifiers.
            let set_phrase = tokens.get(j).is_some_and(|t| SET_PHRASE_NOUNS.contains(t.norm()));
            while !set_phrase
                && j < scope_end
                && j - qualifier_start < 4
                && tokens[j].is_word()
                && !PREPOSITIONS.contains(tokens[j].norm())
                && !NOT_IN_TOPIC.contains(tokens[j].norm())
            {
                j += 1;
            }
            if j > qualifier_start {
                end = j;
            }
        }
        let is_time = tokens[start..k].iter().any(|t| {
            dates::is_calendar_word(&t.norm)
                || matches!(
                    t.norm(),
                    "morning" | "evening" | "night" | "day" | "week" | "month" | "year"
                )
        });
        // "the League's activities": a generic head is named by its owner.
        if let Some(owner) = possessor_start.filter(|_| k - start == 1 && !is_time) {
            if GENERIC_TOPICS.contains(head) {
                let name = token_text(tokens, owner, end);
                return Some(Entity::from(EntityFields {
                    id: EntityId::new(EntityKind::Issue, &name),
                    name,
                    kind: EntityKind::Issue,
                    country: None,
                }));
            }
        }
        // A generic head is a topic only with a modifier ("bilateral issues", not "issues").
        if is_time
            || (k - start == 1 && GENERIC_TOPICS.contains(head))
            // A number alone is not a topic; "7 agreements" is.
            || (k - start == 1 && tokens[start].text.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        // "their wish to strengthen ties", "the need to fight terrorism": an intention is about
        // what its verb acts on.
        if INTENT_NOUNS.contains(head)
            && tokens.get(k).is_some_and(|t| t.norm == "to")
            && tokens.get(k + 1).is_some_and(|t| t.is_word() && !t.is_capitalised())
        {
            let after = after_infinitive_verb(tokens, k + 1);
            if let Some(topic) = self.noun_phrase_topic(tokens, mentions, after, scope_end) {
                return Some(topic);
            }
        }
        // "an end to the violence", "a stop to those activities": what is to end is the topic.
        if matches!(head, "end" | "stop" | "halt") && tokens.get(k).is_some_and(|t| t.norm == "to")
        {
            return self.noun_phrase_topic(tokens, mentions, k + 1, scope_end);
        }
        // "his message of condolence over the crash": a message is about what it concerns.
        if MESSAGE_NOUNS.contains(head)
            && tokens.get(end).is_some_and(|t| {
                matches!(t.norm(), "over" | "about" | "on" | "regarding" | "concerning")
            })
        {
            if let Some(topic) = self.noun_phrase_topic(tokens, mentions, end + 1, scope_end) {
                return Some(topic);
            }
        }
        let name = token_text(tokens, start, end);
        Some(Entity::from(EntityFields {
            id: EntityId::new(EntityKind::Issue, &name),
            name,
            kind: EntityKind::Issue,
            country: None,
        }))
    }
}

/// Items of a topic list after a verb that are phrases, not names: in "discussed trade,
/// lithium supplies and Gaza", `lithium supplies`. Items are split at commas and `and`, and
/// an item is kept when it is a short lower-case phrase with no name in it.
fn list_phrases(
    tokens: &[Token],
    mentions: &[Mention],
    from: usize,
    scope_end: usize,
) -> Vec<Entity> {
    let mut k = from;
    while k < scope_end
        && (is_quote(&tokens[k].norm)
            || matches!(tokens[k].norm(), "on" | "about" | "over" | "regarding"))
    {
        k += 1;
    }
    let mut phrases = Vec::new();
    for _ in 0..8 {
        while k < scope_end && (DETERMINERS.contains(tokens[k].norm()) || is_quote(&tokens[k].norm))
        {
            k += 1;
        }
        let separator = (k..scope_end)
            .find(|&j| tokens[j].norm == "and" || !tokens[j].is_word())
            .unwrap_or(scope_end);
        let item = &tokens[k..separator];
        // A name item must be the whole item ("Gaza", not "the Aegean can become a sea").
        let named = mentions.iter().any(|m| m.start <= k && m.end >= separator);
        let partly_named = !named && mentions.iter().any(|m| m.start < separator && m.end > k);
        if partly_named {
            break;
        }
        let plain = !item.is_empty()
            && item.len() <= 4
            && item.iter().all(|t| t.is_word() && !t.is_capitalised())
            && item
                .iter()
                .all(|t| !PREPOSITIONS.contains(t.norm()) && !NOT_IN_TOPIC.contains(t.norm()))
            && !(item.len() == 1 && GENERIC_TOPICS.contains(item[0].norm()));
        if plain && !named {
            let name = token_text(tokens, k, separator);
            phrases.push(Entity::from(EntityFields {
                id: EntityId::new(EntityKind::Issue, &name),
                name,
                kind: EntityKind::Issue,
                country: None,
            }));
        } else if !named {
            break;
        }
        if separator >= scope_end || !matches!(tokens[separator].norm(), "," | "and") {
            break;
        }
        k = separator + 1;
        if k < scope_end && tokens[k].norm == "and" {
            k += 1;
        }
    }
    phrases
}

fn match_trigger(
    tokens: &[Token],
    start: usize,
    words: &[String],
    in_mention: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let mut k = start + 1;
    for word in &words[1..] {
        // Articles in a pattern are optional: "hold a phone call" matches "holds phone call".
        let is_article = matches!(word.as_str(), "a" | "an" | "the");
        if is_article && tokens.get(k).is_none_or(|t| !matches!(t.norm(), "a" | "an" | "the")) {
            continue;
        }
        // A verb particle may stand after the object: "ordered two US diplomats out".
        let particle =
            matches!(word.as_str(), "out" | "off" | "back" | "up" | "down" | "away" | "with");
        let mut gap = 0;
        loop {
            let token = tokens.get(k)?;
            if token.norm == *word {
                break;
            }
            // A one-word name may modify the pattern's noun ("approved new EU sanctions").
            let modifier_name = tokens.get(k + 1).is_some_and(|t| t.norm == *word);
            // "a raft of fresh sanctions", "a new round of talks": a quantity phrase widens the
            // gap (looked for only once the gap is past the usual two words).
            let quantity =
                || tokens[start + 1..=k].iter().any(|t| QUANTITY_NOUNS.contains(t.norm()));
            let within_limit = gap < 2 || (gap < 5 && quantity());
            // "voiced his government's backing": a possessor does not widen the gap.
            let possessor = matches!(token.norm(), "'s" | "his" | "her" | "their" | "its")
                || tokens.get(k + 1).is_some_and(|t| t.norm == "'s");
            let allowed = if particle {
                gap < 4
            } else {
                (possessor && gap < 4) || (within_limit && (!in_mention(k) || modifier_name))
            };
            if !allowed || !(token.is_word() || token.norm == "'s") {
                return None;
            }
            if !possessor {
                gap += 1;
            }
            k += 1;
        }
        k += 1;
    }
    Some(k)
}

/// Keeps the first entity of each id, in order. The lists are a sentence's parties, a handful
/// at most, so comparing with those kept costs less than hashing.
fn dedup_by_id(entities: &mut Vec<Entity>) {
    let mut kept = 0;
    for k in 0..entities.len() {
        if entities[..kept].iter().all(|e| e.id != entities[k].id) {
            entities.swap(kept, k);
            kept += 1;
        }
    }
    entities.truncate(kept);
}

/// Adds a topic to a list unless it is there already.
fn add_topic(topics: &mut Vec<Entity>, topic: Option<Entity>) {
    if let Some(topic) = topic.filter(|t| topics.iter().all(|known| known.id != t.id)) {
        topics.push(topic);
    }
}

/// Where the object of the verb at `verb` starts, past adverbs, particles and the preposition
/// a phrasal verb takes ("to keep up the pressure", "to look into the incidents").
fn after_infinitive_verb(tokens: &[Token], verb: usize) -> usize {
    let skippable = |t: &Token| {
        is_adverb(&t.norm)
            || matches!(
                t.norm(),
                "up" | "out"
                    | "off"
                    | "down"
                    | "back"
                    | "forward"
                    | "ahead"
                    | "into"
                    | "by"
                    | "to"
                    | "with"
                    | "against"
                    | "on"
                    | "for"
                    | "towards"
                    | "toward"
            )
    };
    let mut after = verb + 1;
    while tokens.get(after).is_some_and(skippable) {
        after += 1;
    }
    // "to go on working for X", "to keep pressing for X": the gerund carries the act.
    if tokens.get(after).is_some_and(|t| t.norm.ends_with("ing"))
        && after_aspect_verb(tokens, after)
    {
        after += 1;
        while tokens.get(after).is_some_and(skippable) {
            after += 1;
        }
    }
    after
}

/// True when the word at `i` follows an aspect verb that carries it as its act ("kept
/// working", "went on working", "resumed talking").
fn after_aspect_verb(tokens: &[Token], i: usize) -> bool {
    let before = |back: usize| i.checked_sub(back).map_or("", |k| tokens[k].norm());
    matches!(
        before(1),
        "keep"
            | "keeps"
            | "kept"
            | "continue"
            | "continues"
            | "continued"
            | "start"
            | "started"
            | "began"
            | "begin"
            | "resume"
            | "resumed"
    ) || (before(1) == "on" && matches!(before(2), "go" | "goes" | "went" | "carry" | "carried"))
}

/// True when a single-word trigger at `i` reads as a noun: after a determiner, a preposition
/// or an adjective, or at the start of the sentence.
fn looks_nominal(tokens: &[Token], i: usize, mentions: &[Mention]) -> bool {
    if i == 0 {
        return true;
    }
    if mentions.iter().any(|m| m.end == i) {
        return false;
    }
    let previous = tokens[i - 1].norm();
    if previous == "to"
        || (previous == "," && tokens[i].norm.ends_with("ing"))
        || after_aspect_verb(tokens, i)
    {
        return false;
    }
    if !tokens[i - 1].is_word() {
        return true;
    }
    if DETERMINERS.contains(previous) || PREPOSITIONS.contains(previous) {
        return true;
    }
    let is_word = tokens[i - 1].is_word() && !tokens[i - 1].is_capitalised();
    let verbal = BE_FORMS.contains(previous)
        || is_adverb(previous)
        || matches!(
            previous,
            "and"
                | "or"
                | "to"
                | "also"
                | "who"
                | "which"
                | "that"
                | "did"
                | "not"
                | "will"
                | "would"
                | "they"
                | "he"
                | "she"
                | "it"
                | "we"
        )
        || previous.ends_with("ly");
    is_word && !verbal
}

/// Nouns that make an issue or place before them a compound topic ("ceasefire violations").
static EVENT_NOUNS: WordSet = WordSet::new(&[
    "violation",
    "violations",
    "deal",
    "accord",
    "agreement",
    "dispute",
    "crisis",
    "standoff",
    "negotiations",
    "plan",
    "initiative",
    "programme",
    "program",
    "project",
    "process",
    "row",
    "conflict",
    "war",
    "situation",
    "issue",
    "question",
    "talks",
]);

/// True for a word that reads as an adjective by its ending or is a common one.
fn adjective_like(word: &str) -> bool {
    ["al", "ive", "ful", "ous", "ic", "able", "ible", "ary"].iter().any(|s| word.ends_with(s))
        || matches!(
            word,
            "broad" | "wide" | "close" | "closer" | "strong" | "new" | "good" | "full" | "fair"
        )
}

/// Nouns of set phrases that a topic does not extend into ("in the wake of").
static SET_PHRASE_NOUNS: WordSet = WordSet::new(&[
    "presence",
    "wake",
    "light",
    "course",
    "context",
    "face",
    "sidelines",
    "margins",
    "framework",
    "name",
    "absence",
    "event",
    "case",
    "run-up",
    "aftermath",
    "form",
    "part",
]);

/// Nouns that describe the state of a place rather than a new topic.
static PLACE_STATE_NOUNS: WordSet =
    WordSet::new(&["conflict", "war", "situation", "crisis", "issue", "question"]);

/// Words of direction that qualify a place name ("Eastern Ukraine").
static DIRECTION_WORDS: WordSet = WordSet::new(&[
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
]);

/// "the situation in Ukraine", "violence in Syria": a country named as the place of a
/// situation is what the event is about.
fn situation_in(tokens: &[Token], start: usize) -> bool {
    let mut k = start;
    while k > 0
        && (DETERMINERS.contains(tokens[k - 1].norm())
            || DIRECTION_WORDS.contains(tokens[k - 1].norm()))
    {
        k -= 1;
    }
    k >= 2
        && tokens[k - 1].norm == "in"
        && matches!(
            tokens[k - 2].norm(),
            "situation"
                | "crisis"
                | "conflict"
                | "war"
                | "violence"
                | "fighting"
                | "developments"
                | "events"
                | "unrest"
                | "tensions"
                | "escalation"
                | "stability"
                | "peace"
                | "settlement"
        )
}

/// True when token `k` stands inside parentheses (an aside, not an argument).
fn inside_parentheses(tokens: &[Token], k: usize) -> bool {
    let open = tokens[..k].iter().rposition(|t| t.norm == "(");
    let close = tokens[..k].iter().rposition(|t| t.norm == ")");
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

fn is_adverb(word: &str) -> bool {
    word.ends_with("ly")
        || matches!(
            word,
            "also"
                | "again"
                | "further"
                | "jointly"
                | "then"
                | "today"
                | "yesterday"
                | "later"
                | "recently"
                | "once"
                | "still"
        )
}

fn is_quote(norm: &str) -> bool {
    matches!(norm, "\"" | "'")
}

fn preceded_by_be(tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .take(3)
        .skip_while(|t| is_adverb(&t.norm))
        .take(1)
        .any(|t| matches!(t.norm(), "is" | "are" | "was" | "were" | "be" | "been" | "being"))
}

/// True when `led by`, `headed by` or `commanded by` stands right before `start`.
fn led_by(tokens: &[Token], start: usize) -> bool {
    start >= 2
        && tokens[start - 1].norm == "by"
        && matches!(tokens[start - 2].norm(), "led" | "headed" | "commanded")
}

fn preceded_by_preposition(tokens: &[Token], start: usize) -> bool {
    tokens[..start]
        .iter()
        .rev()
        .find(|t| {
            !DETERMINERS.contains(t.norm())
                && !is_quote(&t.norm)
                && !DIRECTION_WORDS.contains(t.norm())
        })
        .is_some_and(|t| PREPOSITIONS.contains(t.norm()))
}

/// "entities actively supporting the regime": a gerund that modifies a noun states no act.
/// A gerund is an act after a form of `be` ("is calling for") or a comma ("…, calling for").
fn modifying_gerund(tokens: &[Token], trigger: &TriggerHit) -> bool {
    if trigger.nominal || !tokens[trigger.start].norm.ends_with("ing") {
        return false;
    }
    let mut k = trigger.start;
    while k > 0 && is_adverb(&tokens[k - 1].norm) {
        k -= 1;
    }
    k > 0
        && !after_aspect_verb(tokens, k)
        && !matches!(
            tokens[k - 1].norm(),
            "," | ";" | "is" | "are" | "was" | "were" | "been" | "be"
        )
}

/// "Sudan called on to probe the attack": a verb with a preposition followed by `to` has no
/// object, the headline's subject is its target, and its actor is not named.
fn headline_passive(tokens: &[Token], trigger: &TriggerHit) -> bool {
    let last = tokens[trigger.end - 1].norm();
    trigger.end - trigger.start >= 2
        && matches!(last, "on" | "upon" | "to" | "for" | "at" | "with")
        && tokens.get(trigger.end).is_some_and(|t| t.norm == "to")
}

/// Whether the trigger is a fact: not negated, not modal, not embedded under another act.
/// The words before a trigger that may qualify it: up to three, not reaching back past an
/// earlier trigger.
fn qualifier_window<'t, 's>(
    tokens: &'t [Token<'s>],
    trigger: &TriggerHit,
    earlier: &[TriggerHit],
) -> &'t [Token<'s>] {
    let window_start = trigger.start.saturating_sub(3);
    let window_start = earlier
        .iter()
        .map(|t| t.end)
        .filter(|&e| e <= trigger.start)
        .max()
        .unwrap_or(0)
        .max(window_start);
    &tokens[window_start..trigger.start]
}

/// True when the only qualifier of a trigger is a plain future (`will`, `shall`), with no
/// negation, condition or other modal.
fn announced_future(tokens: &[Token], trigger: &TriggerHit, earlier: &[TriggerHit]) -> bool {
    let window = qualifier_window(tokens, trigger, earlier);
    let future = |t: &Token| matches!(t.norm(), "will" | "shall");
    window.iter().any(future)
        && window.iter().all(|t| future(t) || !NOT_FACTUAL.contains(t.norm()))
        && !tokens[..trigger.start].iter().any(|t| matches!(t.norm(), "if" | "unless"))
}

fn is_factual(tokens: &[Token], trigger: &TriggerHit, earlier: &[TriggerHit]) -> bool {
    let window = qualifier_window(tokens, trigger, earlier);
    if window.iter().any(|t| NOT_FACTUAL.contains(t.norm())) {
        return false;
    }
    // "to VERB": embedded unless the verb before `to` is a decision.
    let mut k = trigger.start;
    while k > 0 && is_adverb(&tokens[k - 1].norm) {
        k -= 1;
    }
    if !trigger.nominal && k > 0 && tokens[k - 1].norm == "to" {
        let governor = tokens[..k - 1].iter().rev().find(|t| !is_adverb(&t.norm));
        return governor.is_some_and(|t| DECISION_VERBS.contains(t.norm()));
    }
    true
}

fn clause_start(tokens: &[Token], before: usize) -> usize {
    tokens[..before]
        .iter()
        .rposition(|t| t.norm == "whose" || CLAUSE_BREAKS.contains(t.norm()))
        .map_or(0, |p| p + 1)
}

fn clause_end(tokens: &[Token], from: usize) -> usize {
    let mut k = from;
    while k < tokens.len() {
        let norm = tokens[k].norm();
        // "suspended X because of the coup": `because of` names the reason, inside the clause.
        if norm == "because" && tokens.get(k + 1).is_some_and(|t| t.norm == "of") {
            k += 2;
            continue;
        }
        // "over who started the clashes" is an indirect question inside the clause.
        let indirect_question = norm == "who"
            && k > 0
            && matches!(tokens[k - 1].norm(), "over" | "about" | "on" | "of");
        if CLAUSE_BREAKS.contains(norm) && !indirect_question {
            return k;
        }
        // `,"` closes a quotation that an attribution follows.
        if norm == "," && tokens.get(k + 1).is_some_and(|t| is_quote(&t.norm)) {
            return k;
        }
        // "…, state media reported": a trailing attribution is not part of the clause.
        if norm == "," {
            let attribution = (k + 1..tokens.len().min(k + 7))
                .find(|&j| REPORTING_VERBS.contains(tokens[j].norm()))
                .is_some_and(|j| tokens.len() - j <= 6);
            if attribution {
                return k;
            }
        }
        // ", prompting the UN to…": a participle after a comma starts another clause.
        let participle_clause = tokens.get(k + 1).is_some_and(|t| {
            t.norm.ends_with("ing")
                && !matches!(
                    t.norm(),
                    "including" | "regarding" | "concerning" | "following" | "during"
                )
        });
        if norm == "," && participle_clause {
            return k;
        }
        // "… and then started exploring": a coordinated clause with its own verb.
        if norm == "and"
            && tokens.get(k + 1).is_some_and(|t| {
                matches!(t.norm(), "then" | "later" | "subsequently" | "afterwards")
                    || CLAUSE_VERBS.contains(t.norm())
            })
        {
            return k;
        }
        let in_as_well_as = tokens.get(k + 1).is_some_and(|t| t.norm == "well")
            || (k > 0 && tokens[k - 1].norm == "well");
        if norm == "as" && !in_as_well_as {
            return k;
        }
        // "…, in the wake of criticism of the vote", "amid tension over X": the circumstances
        // of an act are not what it is about.
        let in_the_wake = norm == "in"
            && tokens.get(k + 1).is_some_and(|t| t.norm == "the")
            && tokens.get(k + 2).is_some_and(|t| t.norm == "wake");
        if in_the_wake || (norm == "amid" && k > from) {
            return k;
        }
        k += 1;
    }
    tokens.len()
}

/// The phrase after a sentence-initial `Responding to`, `Reacting to` or `In response to`, up
/// to its comma.
fn response_span(tokens: &[Token]) -> Option<std::ops::Range<usize>> {
    let words: Vec<&str> = tokens.iter().take(3).map(|t| t.norm()).collect();
    let start = match words.as_slice() {
        ["responding" | "reacting", "to", ..] => 2,
        ["in", "response" | "reaction", "to"] => 3,
        _ => return None,
    };
    let comma = (start..tokens.len()).find(|&k| tokens[k].norm == ",")?;
    Some(start..comma)
}

fn clause_breaks_between(tokens: &[Token], from: usize, to: usize) -> bool {
    tokens[from..to]
        .iter()
        .any(|t| matches!(t.norm(), ";" | "which" | "who" | "despite" | "while" | "but"))
}

fn token_text(tokens: &[Token], start: usize, end: usize) -> String {
    let mut text = String::new();
    for t in &tokens[start..end] {
        if !text.is_empty() && t.is_word() && !text.ends_with(['"', '(']) {
            text.push(' ');
        }
        text.push_str(t.text);
    }
    text
}

/// Drops a topic-less event where the same actor, root and participants have a topical event in
/// the article (a call about Syria is the event "discuss Syria", not also a bare "call").
fn drop_redundant_topicless(events: Vec<(Event, Explanation)>) -> Vec<(Event, Explanation)> {
    // Keys borrow from the events (no copies): actor, root, and the participants as a set.
    let keys: Vec<(&str, &str, Vec<&str>)> = events
        .iter()
        .map(|(e, _)| {
            let mut participants: Vec<&str> =
                e.participants.iter().map(|p| p.id.as_str()).collect();
            participants.sort_unstable();
            participants.dedup();
            (e.actor.id.as_str(), e.action.cameo.root(), participants)
        })
        .collect();
    let topical: WordHashSet<&(&str, &str, Vec<&str>)> =
        events.iter().zip(&keys).filter(|((e, _), _)| e.topic.is_some()).map(|(_, k)| k).collect();
    let mut seen = WordHashSet::default();
    let keep: Vec<bool> = events
        .iter()
        .zip(&keys)
        .map(|((e, _), key)| {
            (e.topic.is_some() || !topical.contains(key))
                && seen.insert((
                    e.sentence.index,
                    key,
                    e.topic.as_ref().map(|t| t.id.as_str()),
                    &*e.action.verb,
                ))
        })
        .collect();
    events.into_iter().zip(keep).filter_map(|(event, keep)| keep.then_some(event)).collect()
}

#[cfg(test)]
mod tests;
