//! Unit tests of the extraction rules, each on sentences written for it.

use super::*;
use crate::article::parse_text_article;
use crate::lexicon::parse_records;

const WORLD: &str = "country\tRussia\tiso=RUS\tadj=Russian\tcapital=Moscow\tseat=the Kremlin\n\
    country\tTurkey\tiso=TUR\tadj=Turkish\tcapital=Ankara\n\
    country\tArmenia\tiso=ARM\tadj=Armenian\n\
    country\tAzerbaijan\tiso=AZE\tadj=Azerbaijani|Azeri\n\
    country\tFrance\tiso=FRA\tadj=French\tcapital=Paris\n\
    country\tGermany\tiso=DEU\tadj=German\tcapital=Berlin\n\
    country\tEgypt\tiso=EGY\tadj=Egyptian\tcapital=Cairo\n\
    country\tEthiopia\tiso=ETH\tadj=Ethiopian\tcapital=Addis Ababa\n\
    country\tPakistan\tiso=PAK\tadj=Pakistani\tcapital=Islamabad\n\
    country\tIndia\tiso=IND\tadj=Indian\tcapital=New Delhi\n\
    country\tSyria\tiso=SYR\tadj=Syrian\n\
    country\tLibya\tiso=LBY\tadj=Libyan\n\
    country\tGreece\tiso=GRC\tadj=Greek\tcapital=Athens\tleader=prime minister\n\
    role\tprime minister\talias=Prime Minister|premier\n\
    role\tleader\talias=leader|leaders\n\
    person\tKostas Kappa\talias=Kappa\tcountry=GRC\toffice=prime minister:2019-07-08..\n\
    person\tLena Lambda\talias=Lambda\tcountry=GRC\toffice=president:2020-03-13..\n\
    role\tpresident\talias=President\n\
    role\tforeign minister\talias=Foreign Minister\n\
    role\tambassador\talias=ambassador|Ambassador\n\
    person\tVladimir Putin\talias=Putin\tcountry=RUS\toffice=president:2012-05-07..\n\
    person\tRecep Tayyip Erdogan\talias=Erdogan|Erdoğan\tcountry=TUR\toffice=president:2014-08-28..\n\
    place\tNagorno-Karabakh\talias=Karabakh\tcountry=AZE\n\
    place\tIdlib\tcountry=SYR\n\
    issue\tceasefire\talias=truce\n\
    issue\tterrorism\talias=terrorists\n\
    issue\tmigration\talias=migrants\n\
    issue\tGrand Ethiopian Renaissance Dam\talias=GERD|the dam\n";

fn lexicon() -> Lexicon {
    let actions = include_str!("../../data/lexicon/actions.tsv");
    let (mut records, errors) = parse_records(actions, "actions.tsv");
    assert!(errors.is_empty(), "{errors:?}");
    let (world, errors) = parse_records(WORLD, "world");
    assert!(errors.is_empty(), "{errors:?}");
    records.extend(world);
    Lexicon::from_records(records)
}

/// Events of a small article as `actor | verb root | topic | participants` lines.
fn events(headline: &str, body: &str) -> Vec<String> {
    let text = format!("{headline}\nhttps://test.example/a\n\nOct 28, 2020 10:00 UTC\n\n{body}\n");
    let article = parse_text_article(&text, "a").expect("article");
    let lex = lexicon();
    Extractor::new(&lex)
        .extract(&article)
        .into_iter()
        .map(|e| {
            let participants: Vec<String> = e.participants.iter().map(|p| p.name.clone()).collect();
            format!(
                "{} | {} {} | {} | {}",
                e.actor.name,
                e.action.verb,
                e.action.cameo.root(),
                e.topic.map_or("-".into(), |t| t.name.clone()),
                if participants.is_empty() { "-".to_string() } else { participants.join(", ") }
            )
        })
        .collect()
}

fn has(events: &[String], expected: &str) -> bool {
    events.iter().any(|e| e == expected)
}

#[test]
fn seed_paraphrase_gives_the_seed_events() {
    let got = events(
        "Putin and Erdogan talk over Karabakh, Syria and Libya",
        "Russian President Vladimir Putin voiced grave concern about the war in Karabakh and the influx of foreign terrorists during a telephone conversation with his Turkish counterpart.\n\n\
         Putin briefed Erdogan on the steps taken towards a truce, the Kremlin said.\n\n\
         The two leaders agreed on closer coordination between their defence agencies.\n\n\
         Fighting goes on between Azeri and Armenian forces in Karabakh despite calls for a ceasefire.\n\n\
         The sides stressed the importance of carrying out the agreements on Idlib, the statement said.",
    );
    for expected in [
        "Vladimir Putin | discuss 04 | Nagorno-Karabakh | Recep Tayyip Erdogan",
        "Vladimir Putin | discuss 04 | Syria | Recep Tayyip Erdogan",
        "Vladimir Putin | discuss 04 | Libya | Recep Tayyip Erdogan",
        "Vladimir Putin | express concern 11 | Nagorno-Karabakh | Recep Tayyip Erdogan",
        "Vladimir Putin | express concern 11 | terrorism | Recep Tayyip Erdogan",
        "Vladimir Putin | inform 04 | ceasefire | Recep Tayyip Erdogan",
        "Vladimir Putin | agree 03 | closer coordination | Recep Tayyip Erdogan",
        "Azerbaijan | clash 19 | Nagorno-Karabakh | Armenia",
        "Vladimir Putin | stress importance 03 | Idlib | Recep Tayyip Erdogan",
    ] {
        assert!(has(&got, expected), "missing {expected:?} in {got:#?}");
    }
    // "despite calls for a ceasefire" is outside the clash's clause.
    assert!(!has(&got, "Azerbaijan | clash 19 | ceasefire | Armenia"), "{got:#?}");
}

#[test]
fn counterpart_resolves_to_the_office_holder_on_the_article_date() {
    let got = events("Call", "Putin spoke by phone with his Turkish counterpart about Idlib.");
    assert_eq!(got, vec!["Vladimir Putin | call 04 | Idlib | Recep Tayyip Erdogan"]);
}

#[test]
fn office_phrase_resolves_by_date() {
    let got = events("Visit", "The Turkish President condemned the attack on Idlib.");
    assert!(got.iter().all(|e| e.starts_with("Recep Tayyip Erdogan | criticize 11")), "{got:#?}");
}

#[test]
fn capital_stands_for_the_government() {
    let got = events("Protest", "Ankara condemned Paris.");
    assert_eq!(got, vec!["Turkey | criticize 11 | - | France"]);
}

#[test]
fn coordinated_actors_of_a_one_sided_act_each_get_an_event() {
    let got = events("Appeal", "France and Germany urged Azerbaijan to respect the truce.");
    assert!(has(&got, "France | urge 02 | ceasefire | Azerbaijan"), "{got:#?}");
    assert!(has(&got, "Germany | urge 02 | ceasefire | Azerbaijan"), "{got:#?}");
}

#[test]
fn negated_and_modal_acts_are_not_events() {
    assert!(events("N", "Russia did not condemn Turkey.").is_empty());
    assert!(events("N", "France may impose sanctions on Syria.").is_empty());
}

#[test]
fn embedded_acts_are_not_events_but_decisions_are() {
    let got = events("E", "Egypt and Ethiopia agreed to sign a deal on the dam.");
    assert!(got.iter().all(|e| e.contains("agree 03")), "{got:#?}");
    let got = events("D", "France decided to expel the Syrian envoy.");
    assert_eq!(got, vec!["France | expel 16 | - | Syria"]);
}

#[test]
fn refusal_is_its_own_event() {
    let got = events("R", "Ethiopia refused to sign the deal on the GERD.");
    assert_eq!(got, vec!["Ethiopia | reject 12 | Grand Ethiopian Renaissance Dam | -"]);
}

#[test]
fn passive_with_agent_takes_the_agent_as_actor() {
    let got = events("P", "The Indian envoy was summoned by the Pakistani foreign ministry.");
    assert_eq!(got, vec!["Pakistan | protest 11 | - | India"]);
}

#[test]
fn agentless_passive_consultation_belongs_to_the_conversation() {
    let got = events(
        "Putin, Erdogan talk",
        "Putin held talks with Erdogan.\n\nThe situation in Idlib was discussed.",
    );
    assert!(has(&got, "Vladimir Putin | discuss 04 | Idlib | Recep Tayyip Erdogan"), "{got:#?}");
}

#[test]
fn nominal_events_need_their_parties() {
    let got = events("T", "Talks between Egypt and Ethiopia on the GERD resumed.");
    assert_eq!(got, vec!["Egypt | discuss 04 | Grand Ethiopian Renaissance Dam | Ethiopia"]);
    assert!(events("T", "The talks resumed on Monday.").is_empty());
}

#[test]
fn attribution_is_not_an_event_but_its_content_is() {
    let got = events("A", "According to the Kremlin, Russia and Turkey discussed Syria.");
    assert_eq!(got, vec!["Russia | discuss 04 | Syria | Turkey"]);
}

#[test]
fn topicless_call_is_dropped_when_a_topical_one_exists() {
    let got =
        events("C", "Putin had a phone call with Erdogan.\n\nPutin and Erdogan discussed Idlib.");
    assert!(got.iter().all(|e| !e.ends_with("| - | Recep Tayyip Erdogan")), "{got:#?}");
}

#[test]
fn adjectives_sharing_a_title_are_the_office_holders() {
    let got = events("L", "Turkish and Greek leaders discussed migration in Athens.");
    assert!(has(&got, "Recep Tayyip Erdogan | discuss 04 | migration | Kostas Kappa"), "{got:#?}");
}

#[test]
fn the_two_countries_are_the_states_of_the_conversation() {
    let got = events(
        "C",
        "Erdogan held talks with Kappa.\n\nThe two countries signed a deal on migration.",
    );
    assert!(has(&got, "Turkey | sign 05 | migration | Greece"), "{got:#?}");
}

#[test]
fn unknown_names_act_and_their_surnames_corefer() {
    let got = events(
        "U",
        "Jane Roe, the Egyptian foreign ministry spokeswoman, condemned the attack on Idlib.\n\nRoe later urged Turkey to respect the truce.",
    );
    assert!(has(&got, "Jane Roe | criticize 11 | Idlib | -"), "{got:#?}");
    assert!(has(&got, "Jane Roe | urge 02 | ceasefire | Turkey"), "{got:#?}");
}

#[test]
fn unknown_names_ending_in_an_organisation_word_are_organisations() {
    let text =
        "H\nhttps://t.example/a\n\nOct 28, 2020\n\nThe Northern Relief Council condemned Turkey.\n";
    let article = parse_text_article(text, "a").expect("article");
    let lex = lexicon();
    let events = Extractor::new(&lex).extract(&article);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.kind, EntityKind::Organization);
    assert_eq!(events[0].actor.name, "Northern Relief Council");
}

#[test]
fn possessive_country_is_the_speakers_state() {
    let got = events(
        "O",
        "Putin said his country would not wait, and his country expelled two French diplomats.",
    );
    assert!(has(&got, "Russia | expel 16 | - | France"), "{got:#?}");
}

#[test]
fn split_particle_verbs_take_their_object() {
    let got = events("S", "Ethiopia ordered two Egyptian diplomats out.");
    assert_eq!(got, vec!["Ethiopia | expel 16 | - | Egypt"]);
}

#[test]
fn asides_in_parentheses_are_not_topics() {
    let got = events("P", "France condemned the attack (in Idlib) on Syria.");
    assert!(got.iter().all(|e| !e.contains("Idlib")), "{got:#?}");
}

#[test]
fn direction_words_do_not_hide_a_place_topic() {
    let got = events("D", "France voiced concern over northern Syria.");
    assert_eq!(got, vec!["France | express concern 11 | Syria | -"]);
}

#[test]
fn a_leader_named_in_the_article_resolves_the_office_phrase() {
    // Two Greek office holders could be "the Greek leader"; the one the article names wins.
    let got = events(
        "G",
        "Kappa arrived in Ankara.\n\nThe Greek leader discussed migration with Erdogan.",
    );
    assert!(has(&got, "Kostas Kappa | discuss 04 | migration | Recep Tayyip Erdogan"), "{got:#?}");
}

#[test]
fn agentless_passive_belongs_to_the_reporter() {
    let got = events(
        "R",
        "The Egyptian foreign ministry said the Ethiopian envoy was summoned on Monday.",
    );
    assert_eq!(got, vec!["Egypt | protest 11 | - | Ethiopia"]);
}

#[test]
fn charge_with_is_an_accusation_of_its_object() {
    let got = events("C", "Armenia charged neighbouring Azerbaijan with shelling villages.");
    assert!(has(&got, "Armenia | accuse 11 | - | Azerbaijan"), "{got:#?}");
}

#[test]
fn he_is_the_previous_sentence_subject_not_its_object() {
    let got = events("H", "Putin received Erdogan in Moscow.\n\nHe later condemned France.");
    assert!(has(&got, "Vladimir Putin | criticize 11 | - | France"), "{got:#?}");
}

#[test]
fn definite_descriptions_refer_to_the_latest_state_or_organisation() {
    let text = "Egypt protested to Ethiopia.\n\nThe ministry also condemned Turkey.";
    let got = events("D", text);
    assert!(has(&got, "Egypt | criticize 11 | - | Turkey"), "{got:#?}");
}

#[test]
fn judgements_take_what_they_judge_as_topic() {
    let got = events("J", "France condemned the attack on the aid convoy.");
    assert_eq!(got, vec!["France | criticize 11 | attack on the aid convoy | -"]);
}

#[test]
fn an_issue_before_an_event_noun_is_a_compound_topic() {
    let got = events("V", "Pakistan protested to India over ceasefire violations.");
    assert_eq!(got, vec!["Pakistan | protest 11 | ceasefire violations | India"]);
}

#[test]
fn named_and_quoted_documents_are_single_topics() {
    let got = events("S", "Egypt and Ethiopia signed the Cairo Declaration on Water Security.");
    assert_eq!(got, vec!["Egypt | sign 05 | Cairo Declaration on Water Security | Ethiopia"]);
    let got = events(
        "Q",
        "Egypt and Ethiopia signed the \"Good Neighbourliness and Friendship\" declaration.",
    );
    assert_eq!(
        got,
        vec!["Egypt | sign 05 | Good Neighbourliness and Friendship declaration | Ethiopia"]
    );
}

#[test]
fn a_meeting_place_is_not_a_topic() {
    let got = events("M", "Egypt and Ethiopia signed a deal on migration at a summit in Cairo.");
    assert_eq!(got, vec!["Egypt | sign 05 | migration | Ethiopia"]);
}

#[test]
fn a_possessive_names_the_actor_of_a_nominal_event() {
    let got = events("N", "France's expulsion of two Syrian diplomats angered Damascus.");
    assert_eq!(got, vec!["France | expel 16 | - | Syria"]);
}

#[test]
fn a_party_is_not_its_own_topic() {
    let got = events("T", "Egypt recalled its ambassador to Ethiopia over remarks about Egypt.");
    assert_eq!(got, vec!["Egypt | reduce relations 16 | - | Ethiopia"]);
}

#[test]
fn a_relative_clause_does_not_hide_the_subject() {
    let got = events("R", "France, which borders Germany, urged Syria to respect the truce.");
    assert_eq!(got, vec!["France | urge 02 | ceasefire | Syria"]);
}

#[test]
fn a_participle_after_a_comma_starts_a_new_clause() {
    let got = events(
        "P",
        "Azeri and Armenian forces clashed in Karabakh, prompting calls for a ceasefire.",
    );
    assert_eq!(got, vec!["Azerbaijan | clash 19 | Nagorno-Karabakh | Armenia"]);
}

#[test]
fn people_are_participants_not_topics() {
    let got = events("T", "Turkey rejected the proposal of Putin.");
    assert!(got.iter().all(|e| !e.contains("| Vladimir Putin |")), "{got:#?}");
}

#[test]
fn the_place_of_a_situation_is_the_topic() {
    let got = events("S", "France imposed sanctions in response to the situation in Syria.");
    assert_eq!(got, vec!["France | impose sanctions 16 | Syria | -"]);
}

#[test]
fn an_organisations_ministers_are_the_organisation_and_names_may_modify_a_pattern_noun() {
    let got =
        events("E", "French foreign affairs ministers approved new Egyptian sanctions on Syria.");
    assert_eq!(got, vec!["France | impose sanctions 16 | Syria | -"]);
}

#[test]
fn a_topic_may_follow_a_coordinated_noun() {
    let got = events("C", "Egypt voiced shock and deep sadness at the attack on the convoy.");
    assert_eq!(got, vec!["Egypt | make pessimistic comment 01 | attack on the convoy | -"]);
}

#[test]
fn a_verb_pattern_after_a_determiner_is_a_noun() {
    let got = events("N", "Egypt voiced shock at the shooting down of the airliner.");
    assert_eq!(
        got,
        vec!["Egypt | make pessimistic comment 01 | shooting down of the airliner | -"]
    );
}

#[test]
fn they_without_a_group_is_the_latest_organisation_or_state() {
    let got = events("T", "Egyptian ministers met in Cairo.\n\nThey condemned Ethiopia.");
    assert!(has(&got, "Egypt | criticize 11 | - | Ethiopia"), "{got:#?}");
}

#[test]
fn unknown_names_of_places_are_places() {
    let got = events("P", "Azeri and Armenian troops pulled back from the Upper Kelbaj area.");
    assert!(has(&got, "Azerbaijan | withdraw 08 | Upper Kelbaj | Armenia"), "{got:#?}");
    assert!(has(&got, "Armenia | withdraw 08 | Upper Kelbaj | Azerbaijan"), "{got:#?}");
    let got = events("V", "France voiced concern over the Kelbaj Valley.");
    assert_eq!(got, vec!["France | express concern 11 | Kelbaj Valley | -"]);
}

#[test]
fn a_participle_after_the_verb_is_not_a_topic() {
    let got = events("T", "Egypt and Ethiopia held talks attended by Sudan.");
    assert!(got.iter().all(|e| !e.contains("attended")), "{got:#?}");
}

#[test]
fn headline_passive_call_is_not_an_event() {
    assert!(events("Syria called on to respect truce", "").is_empty());
}

#[test]
fn it_is_the_state_that_last_acted() {
    let got = events("I", "Egypt summoned the Ethiopian envoy.\n\nThe Ethiopian side did not answer.\n\nIt also accused Ethiopia of stalling.");
    assert!(has(&got, "Egypt | accuse 11 | stalling | Ethiopia"), "{got:#?}");
}

#[test]
fn places_after_from_are_topics_only_of_withdrawals() {
    let got = events("F", "France condemned fighters from Idlib.");
    assert!(got.iter().all(|e| !e.contains("Idlib")), "{got:#?}");
}

#[test]
fn noun_phrase_topics_keep_one_qualifier_and_possessives() {
    let got = events("Q", "France and Egypt discussed preparations for further targeted measures.");
    assert_eq!(
        got,
        vec!["France | discuss 04 | preparations for further targeted measures | Egypt"]
    );
    let got = events("R", "France urged Egypt to act, calling for the envoy's release.");
    assert!(has(&got, "France | urge 02 | envoy's release | -"), "{got:#?}");
    let got = events("W", "France condemned what the rebels had done.");
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn phrase_items_listed_beside_known_topics_are_topics_too() {
    let got = events("L", "France and Egypt discussed migration and economic issues.");
    assert!(has(&got, "France | discuss 04 | migration | Egypt"), "{got:#?}");
    assert!(has(&got, "France | discuss 04 | economic issues | Egypt"), "{got:#?}");
    let got = events("A", "France hopes Idlib can become a zone of peace and cooperation.");
    assert!(got.iter().all(|e| !e.contains("| cooperation |")), "{got:#?}");
}

#[test]
fn predicate_adjectives_of_displeasure_and_their_that_clause_target() {
    let got =
        events("D", "Egypt is deeply displeased that the Ethiopian side attacked the convoy.");
    assert!(has(&got, "Egypt | express concern 11 | - | Ethiopia"), "{got:#?}");
}

#[test]
fn pushing_back_against_a_call_is_a_rejection_of_it() {
    let got = events("P", "Egypt has pushed back against calls for mediation.");
    assert_eq!(got, vec!["Egypt | reject 12 | calls for mediation | -"]);
}

#[test]
fn a_counterpart_phrase_followed_by_a_name_is_that_person() {
    let got = events("C", "Putin and his Turkish counterpart Erdogan discussed Idlib.");
    assert_eq!(got, vec!["Vladimir Putin | discuss 04 | Idlib | Recep Tayyip Erdogan"]);
}

#[test]
fn a_place_after_a_preposition_and_a_direction_is_not_a_subject() {
    let got = events(
        "N",
        "Turkey keeps troops in northern Syria and regularly shells Armenian positions.",
    );
    assert!(got.iter().all(|e| e.starts_with("Turkey |")), "{got:#?}");
}

#[test]
fn set_phrases_do_not_extend_a_topic() {
    let got = events("S", "Egypt signed two accords in the presence of Ethiopia.");
    assert!(got.iter().all(|e| !e.contains("presence")), "{got:#?}");
}

#[test]
fn an_appeal_for_an_actors_thing_names_both() {
    let got = events("A", "Egypt asked for Ethiopia's cooperation.");
    assert_eq!(got, vec!["Egypt | ask 02 | cooperation | Ethiopia"]);
}

#[test]
fn unknown_names_of_projects_and_plans_are_topics() {
    let got = events(
        "P",
        "Egypt and Ethiopia jointly inaugurated the Blue Nile Power Project's first unit.",
    );
    assert_eq!(
        got,
        vec![
            "Egypt | inaugurate 06 | Blue Nile Power Project | Ethiopia",
            "Ethiopia | inaugurate 06 | Blue Nile Power Project | Egypt"
        ]
    );
}

#[test]
fn a_noun_pattern_takes_its_of_phrase_as_topic() {
    let got = events("O", "Egypt repeated its condemnation of the continuing violence.");
    assert_eq!(got, vec!["Egypt | criticize 11 | continuing violence | -"]);
}

#[test]
fn committed_to_is_a_state_not_a_passive() {
    let got = events("C", "Egypt is committed to a settlement of the dispute with Ethiopia.");
    assert!(got.iter().all(|e| e.starts_with("Egypt | pledge 03")), "{got:#?}");
    assert!(!got.is_empty());
}

#[test]
fn a_gerund_modifying_a_noun_is_not_an_act() {
    let got = events("G", "France listed groups actively supporting Syria.");
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn a_coordinated_clause_ends_the_topic_scope() {
    let got = events(
        "K",
        "Turkey suspended its deal with Greece and then started drilling for gas near Cyprus.",
    );
    assert!(got.iter().all(|e| !e.contains("energy") && !e.contains("gas")), "{got:#?}");
}

#[test]
fn the_council_is_the_latest_organisation_called_a_council() {
    let got = events(
        "C",
        "The Northern Relief Council met the Eastern Aid Mission.\n\nThe council condemned Syria.",
    );
    assert!(has(&got, "Northern Relief Council | criticize 11 | - | Syria"), "{got:#?}");
}

#[test]
fn a_joint_act_of_two_sides_names_each_as_the_others_participant() {
    let got = events("J", "Egypt and Ethiopia withdrew from Idlib.");
    assert_eq!(
        got,
        vec!["Egypt | withdraw 08 | Idlib | Ethiopia", "Ethiopia | withdraw 08 | Idlib | Egypt"]
    );
    // With a counterpart, each side acts on the counterpart only.
    let got = events("U", "Egypt and Ethiopia urged Syria to respect the truce.");
    assert!(has(&got, "Egypt | urge 02 | ceasefire | Syria"), "{got:#?}");
}

#[test]
fn a_possessor_is_not_a_subject_and_an_actor_without_event_is_not_remembered() {
    let got = events(
        "P",
        "Pakistan summoned the Indian envoy.\n\nIndia's shelling had killed four civilians.\n\nIt also condemned the shelling.",
    );
    assert!(has(&got, "Pakistan | criticize 11 | shelling | -"), "{got:#?}");
    assert!(got.iter().all(|e| !e.starts_with("India |")), "{got:#?}");
}

#[test]
fn what_it_called_names_the_topic() {
    let got =
        events("W", "Egypt condemned what it called the illegal transfer of migrants by Ethiopia.");
    // The author of what is judged ("by Ethiopia") is the target.
    assert!(
        has(&got, "Egypt | criticize 11 | illegal transfer of migrants | Ethiopia"),
        "{got:#?}"
    );
}

#[test]
fn a_countrys_opposition_is_a_group() {
    let text = "H\nhttps://t.example/a\n\nOct 28, 2020\n\nFrance met the Syrian opposition.\n";
    let article = parse_text_article(text, "a").expect("article");
    let lex = lexicon();
    let events = Extractor::new(&lex).extract(&article);
    let group = &events[0].participants[0];
    assert_eq!(
        (group.name.as_str(), group.kind, group.country.as_deref()),
        ("Syrian opposition", EntityKind::Group, Some("SYR"))
    );
}

#[test]
fn companions_are_not_counterparts() {
    let got = events("C", "Putin arrived in Ankara together with Erdogan.");
    assert_eq!(got, vec!["Vladimir Putin | visit 04 | - | Turkey"]);
}

#[test]
fn a_suspension_is_about_what_the_party_is_cut_off_from() {
    let got = events("S", "Turkey suspended Syria from regional trade talks.");
    assert_eq!(got, vec!["Turkey | suspend 16 | regional trade talks | Syria"]);
}

#[test]
fn a_name_modifying_a_noun_is_part_of_the_topic_phrase() {
    let got = events("N", "Turkey condemned Syria over Arab League decisions.");
    assert_eq!(got, vec!["Turkey | criticize 11 | Arab League decisions | Syria"]);
}

#[test]
fn a_counted_noun_is_a_topic_but_a_number_alone_is_not() {
    let got = events("N", "Egypt and Ethiopia signed 7 agreements.");
    assert_eq!(got, vec!["Egypt | sign 05 | 7 agreements | Ethiopia"]);
    let got = events("M", "Egypt and Ethiopia discussed 2020.");
    assert!(got.iter().all(|e| !e.contains("2020")), "{got:#?}");
}

#[test]
fn expressing_a_wish_for_cooperation_is_intent_to_cooperate() {
    let got = events("W", "Egypt and Ethiopia expressed their desire for closer cooperation.");
    assert!(got.iter().any(|e| e.starts_with("Egypt | pledge 03")), "{got:#?}");
}

#[test]
fn coordinated_adjectives_stay_in_the_topic_phrase() {
    let got = events("A", "Egypt agreed on broad and productive cooperation with Ethiopia.");
    assert_eq!(got, vec!["Egypt | agree 03 | broad and productive cooperation | Ethiopia"]);
}

#[test]
fn a_trailing_attribution_is_outside_the_clause() {
    let got = events(
        "A",
        "Egypt and Ethiopia signed deals on migration, Ethiopian state media reported.",
    );
    assert_eq!(got, vec!["Egypt | sign 05 | migration | Ethiopia"]);
}

#[test]
fn a_verb_form_after_a_country_adjective_is_a_noun() {
    // The calls are Ethiopia's, so Ethiopia is the target and what was called for the topic.
    let got = events("A", "Egypt pushed back against Ethiopian calls for border talks.");
    assert_eq!(got, vec!["Egypt | reject 12 | border talks | Ethiopia"]);
}

#[test]
fn an_apposition_with_as_is_not_a_list_of_actors() {
    let got = events("A", "Egypt, as Syria's ally, discussed Libya.");
    assert!(got.iter().all(|e| !e.contains("Syria")), "{got:#?}");
    let got = events("B", "Egypt as well as Ethiopia discussed migration.");
    assert_eq!(got, vec!["Egypt | discuss 04 | migration | Ethiopia"]);
}

#[test]
fn a_place_where_an_issue_happened_is_not_another_topic() {
    let got = events("L", "Pakistan protested to India over ceasefire violations in Idlib.");
    assert_eq!(got, vec!["Pakistan | protest 11 | ceasefire violations | India"]);
    let got = events("S", "Egypt and Ethiopia discussed migration and the situation in Idlib.");
    assert!(has(&got, "Egypt | discuss 04 | Idlib | Ethiopia"), "{got:#?}");
}

#[test]
fn words_before_a_titled_person_are_not_a_topic() {
    let got = events("T", "Putin paid a visit to Senate President Erdogan.");
    assert!(got.iter().all(|e| !e.contains("Senate")), "{got:#?}");
}

#[test]
fn statements_of_a_country_make_it_the_target_of_a_judgement() {
    let got = events("S", "Egypt lashed out at Ethiopian statements on the GERD.");
    assert_eq!(got, vec!["Egypt | criticize 11 | Grand Ethiopian Renaissance Dam | Ethiopia"]);
}

#[test]
fn occupying_positions_is_not_occupying_territory() {
    assert!(events("O", "Troops returned to the positions they occupied in 2019.").is_empty());
}

#[test]
fn a_quantity_before_a_topic_phrase_is_skipped() {
    let got = events("Q", "Turkey suspended Syria from all of the council's trade activities.");
    assert_eq!(got, vec!["Turkey | suspend 16 | trade activities | Syria"]);
}

#[test]
fn pronouns_refer_to_the_latest_actor() {
    let got =
        events("P", "Putin arrived in Ankara on Monday.\n\nHe condemned the attack on Idlib.");
    assert!(has(&got, "Vladimir Putin | criticize 11 | Idlib | -"), "{got:#?}");
}

#[test]
fn a_bare_title_refers_to_the_person_holding_it() {
    // A lexicon office holder and a person the article itself gives the title.
    let got = events(
        "T",
        "Greek Prime Minister Kostas Kappa met Putin in Moscow.\n\n\
         The prime minister condemned the attack on Idlib.",
    );
    assert!(has(&got, "Kostas Kappa | criticize 11 | Idlib | -"), "{got:#?}");
    let got = events(
        "T",
        "Foreign Minister Nora Nilsen arrived in Ankara.\n\n\
         Putin spoke about migration.\n\n\
         The foreign minister condemned the attack on Idlib.",
    );
    assert!(has(&got, "Nora Nilsen | criticize 11 | Idlib | -"), "{got:#?}");
    // Nobody holds the title: no actor is guessed.
    let got = events("T", "The foreign minister condemned the attack on Idlib.");
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn an_intent_or_appeal_is_about_what_its_verb_acts_on() {
    let got = events("I", "Putin and Erdogan agreed to restart the migration talks.");
    assert!(
        has(&got, "Vladimir Putin | agree 03 | migration talks | Recep Tayyip Erdogan"),
        "{got:#?}"
    );
    let got = events("I", "Putin urged Turkey to respect the ceasefire agreement.");
    assert!(has(&got, "Vladimir Putin | urge 02 | ceasefire agreement | Turkey"), "{got:#?}");
}

#[test]
fn an_act_addressed_to_a_party_is_about_what_follows_on() {
    let got = events("C", "Erdogan congratulated Putin on the successful harvest festival.");
    assert_eq!(
        got,
        vec![
            "Recep Tayyip Erdogan | congratulate 01 | successful harvest festival | Vladimir Putin"
        ]
    );
}

#[test]
fn a_reciprocal_object_leaves_the_topic_after_it() {
    let got = events(
        "R",
        "Putin met Erdogan in Ankara.\n\n\
         The two leaders congratulated each other on the coming spring holiday.",
    );
    assert!(
        has(
            &got,
            "Vladimir Putin | congratulate 01 | coming spring holiday | Recep Tayyip Erdogan"
        ),
        "{got:#?}"
    );
}

#[test]
fn a_message_is_about_what_it_concerns() {
    let got = events(
        "M",
        "Putin thanked Erdogan for his letter of sympathy over the ferry fire near Kos.",
    );
    assert_eq!(
        got,
        vec!["Vladimir Putin | praise 05 | ferry fire near Kos | Recep Tayyip Erdogan"]
    );
}

#[test]
fn as_well_as_adds_a_topic_to_the_list() {
    let got =
        events("W", "Putin and Erdogan discussed migration, as well as the rising price of bread.");
    assert!(
        has(&got, "Vladimir Putin | discuss 04 | migration | Recep Tayyip Erdogan"),
        "{got:#?}"
    );
    assert!(
        has(&got, "Vladimir Putin | discuss 04 | rising price of bread | Recep Tayyip Erdogan"),
        "{got:#?}"
    );
}

#[test]
fn what_an_appeal_wants_ended_or_inquired_into_is_the_topic() {
    let got = events(
        "E",
        "Putin urged the Turkish government to put an immediate end to the grain blockade.",
    );
    assert_eq!(got, vec!["Vladimir Putin | urge 02 | grain blockade | Turkey"]);
    let got = events("E", "Putin urged Turkey to hold a swift inquiry into the shooting.");
    assert_eq!(got, vec!["Vladimir Putin | urge 02 | swift inquiry into the shooting | Turkey"]);
}

#[test]
fn circumstances_of_an_act_are_not_its_topic() {
    let got = events(
        "W",
        "Turkey expelled two Russian diplomats in the wake of criticism of the ceasefire.",
    );
    assert_eq!(got, vec!["Turkey | expel 16 | - | Russia"]);
    let got = events("W", "Turkey expelled two Russian diplomats amid a row over migration.");
    assert_eq!(got, vec!["Turkey | expel 16 | - | Russia"]);
}

#[test]
fn a_title_given_in_apposition_is_remembered() {
    let got = events(
        "A",
        "The envoy met the Foreign Minister (Europe desk), Rolf Rask, in Berlin.\n\n\
         The foreign minister condemned the attack on Idlib.",
    );
    assert!(has(&got, "Rolf Rask | criticize 11 | Idlib | -"), "{got:#?}");
}

#[test]
fn each_listed_infinitive_of_an_appeal_gives_a_topic() {
    let got = events(
        "L",
        "Putin urged Turkey to honour the grain deal, to look into the border incidents and to protect migrants.",
    );
    for topic in ["grain deal", "border incidents", "migration"] {
        assert!(has(&got, &format!("Vladimir Putin | urge 02 | {topic} | Turkey")), "{got:#?}");
    }
}

#[test]
fn a_comment_is_about_the_subject_of_its_clause() {
    let got =
        events("C", "Putin voiced confidence that relations between Russia and Turkey would grow.");
    assert_eq!(
        got,
        vec![
            "Vladimir Putin | make optimistic comment 01 | relations between Russia and Turkey | -"
        ]
    );
}

#[test]
fn a_purpose_that_is_itself_an_act_gives_the_topic() {
    let got = events(
        "P",
        "Turkey recalled its ambassador to Russia to protest against the border closure.",
    );
    assert_eq!(got, vec!["Turkey | reduce relations 16 | border closure | Russia"]);
    // A purpose that is no act adds nothing.
    let got = events("P", "Turkey recalled its ambassador to Russia to spend the holidays.");
    assert_eq!(got, vec!["Turkey | reduce relations 16 | - | Russia"]);
}

#[test]
fn the_antecedent_of_who_is_the_actor() {
    let got =
        events("W", "Putin held talks with Erdogan, who praised the cooperation on migration.");
    assert!(has(&got, "Recep Tayyip Erdogan | praise 05 | migration | -"), "{got:#?}");
}

#[test]
fn an_act_stated_of_two_sides_makes_each_the_others_participant() {
    let got =
        events("T", "Armenia and Azerbaijan traded accusations over who started the clashes.");
    assert_eq!(
        got,
        vec![
            "Armenia | accuse 11 | clashes | Azerbaijan",
            "Azerbaijan | accuse 11 | clashes | Armenia"
        ]
    );
}

#[test]
fn an_envoy_named_in_the_article_is_that_person() {
    let got = events(
        "E",
        "Putin met Turkish Ambassador Ayla Aksoy in Moscow.\n\n\
         Russia later summoned the Turkish ambassador over migration.",
    );
    assert!(has(&got, "Russia | protest 11 | migration | Ayla Aksoy"), "{got:#?}");
    let got = events("E", "Russia summoned the Turkish ambassador over migration.");
    assert!(has(&got, "Russia | protest 11 | migration | Turkey"), "{got:#?}");
}

#[test]
fn relations_of_the_pair_take_the_other_party_as_participant() {
    let got = events(
        "B",
        "Putin met Erdogan in Sochi.\n\n\
         Putin praised the growing trade between the two countries.\n\n\
         Erdogan praised the bilateral energy projects.\n\n\
         Putin praised the new metro line.",
    );
    assert!(
        has(&got, "Vladimir Putin | praise 05 | growing trade | Recep Tayyip Erdogan"),
        "{got:#?}"
    );
    assert!(
        has(&got, "Recep Tayyip Erdogan | praise 05 | bilateral energy projects | Vladimir Putin"),
        "{got:#?}"
    );
    assert!(has(&got, "Vladimir Putin | praise 05 | metro line | -"), "{got:#?}");
}

#[test]
fn a_response_is_about_what_it_answers() {
    let got = events(
        "R",
        "Responding to an attack by Turkey on Idlib, the Syrian government lodged a protest.",
    );
    assert_eq!(got, vec!["Syria | protest 11 | Idlib | Turkey"]);
    let got = events("R", "In response to the drought, Syria appealed for aid.");
    assert_eq!(got, vec!["Syria | appeal for aid 02 | drought | -"]);
}

#[test]
fn a_cooperative_act_announced_for_the_future_is_an_intent() {
    let got = events(
        "F",
        "Putin met Erdogan in Sochi.\n\n\
         The governments of both countries will continue working together on migration.",
    );
    assert!(has(&got, "Russia | cooperate 03 | migration | Turkey"), "{got:#?}");
    let got = events("F", "Putin will visit Turkey in May.");
    assert_eq!(got, vec!["Vladimir Putin | visit 03 | - | Turkey"]);
    // A negated or conditional future is no intent.
    assert!(events("F", "Putin will not visit Turkey.").is_empty());
    assert!(events("F", "If asked, Putin will visit Turkey.").is_empty());
}

#[test]
fn an_aspect_verb_carries_its_gerund_as_the_act() {
    let got = events("A", "Turkey kept cooperating with Russia on migration.");
    assert_eq!(got, vec!["Turkey | cooperate 05 | migration | Russia"]);
}

#[test]
fn a_particle_after_an_appeals_verb_is_not_the_topic() {
    let got = events("P", "Putin urged Turkey to keep up the grain exports.");
    assert_eq!(got, vec!["Vladimir Putin | urge 02 | grain exports | Turkey"]);
}

#[test]
fn a_generic_head_is_named_by_its_owner() {
    let got = events("G", "Turkey suspended Syria from all of the Council's activities.");
    assert_eq!(got, vec!["Turkey | suspend 16 | Council's activities | Syria"]);
}

#[test]
fn the_leader_of_a_group_acts_for_it() {
    let got = events("L", "A group of officers led by Kofi Mensah toppled President Erdogan.");
    assert_eq!(got, vec!["Kofi Mensah | overthrow 17 | - | Recep Tayyip Erdogan"]);
}

#[test]
fn which_and_the_country_refer_back() {
    let got = events(
        "W",
        "Russia sanctioned Syria on Monday.\n\n\
         The step followed a decision by France, which had suspended the Arab country because of terrorism.",
    );
    assert!(has(&got, "France | suspend 16 | terrorism | Syria"), "{got:#?}");
}

#[test]
fn it_is_the_body_that_opens_the_sentence() {
    let got = events(
        "I",
        "Egypt condemned the attack on Idlib.\n\n\
         Meanwhile, Turkey's security council reported that it had asked Russia to respect the ceasefire.",
    );
    assert!(has(&got, "Turkey | ask 02 | ceasefire | Russia"), "{got:#?}");
}

#[test]
fn a_verb_inside_an_aside_does_not_hide_the_subject() {
    let got = events("A", "Putin, meeting reporters on Monday, condemned the attack on Idlib.");
    assert_eq!(got, vec!["Vladimir Putin | criticize 11 | Idlib | -"]);
}

#[test]
fn a_place_locating_other_places_is_not_another_topic() {
    // The geography is invented; the rule is what matters.
    let got = events("P", "Putin and Erdogan discussed Idlib in Karabakh.");
    assert_eq!(got, vec!["Vladimir Putin | discuss 04 | Idlib | Recep Tayyip Erdogan"]);
    let got = events("P", "Putin and Erdogan discussed Idlib and Karabakh.");
    assert_eq!(got.len(), 2, "{got:#?}");
}

#[test]
fn a_multi_word_act_as_purpose_gives_its_object_as_topic() {
    let got = events("P", "Putin and Erdogan met in Sochi to take stock of the grain corridor.");
    assert_eq!(got, vec!["Vladimir Putin | meet 04 | grain corridor | Recep Tayyip Erdogan"]);
}

#[test]
fn a_possessor_inside_a_pattern_is_neither_gap_nor_participant() {
    let got = events("S", "Putin voiced his government's support for the ceasefire.");
    assert_eq!(got, vec!["Vladimir Putin | support 05 | ceasefire | -"]);
    let got = events("S", "Putin voiced support for Syrian reconstruction.");
    assert_eq!(got, vec!["Vladimir Putin | support 05 | Syrian reconstruction | -"]);
}

#[test]
fn also_does_not_borrow_a_subject_across_a_named_one() {
    let got = events("A", "At its meeting on Monday, Turkey also debated migration.");
    assert_eq!(got, vec!["Turkey | discuss 04 | migration | -"]);
}

#[test]
fn force_is_about_the_place_where_it_happened() {
    let got = events(
        "F",
        "Turkish ships fired water cannons at Russian vessels while they sailed near Idlib.",
    );
    assert_eq!(got, vec!["Turkey | attack 18 | Idlib | Russia"]);
}

#[test]
fn an_intention_is_about_what_its_verb_acts_on() {
    let got = events("I", "Putin and Erdogan talked about their wish to deepen trade ties.");
    assert_eq!(got, vec!["Vladimir Putin | discuss 04 | trade ties | Recep Tayyip Erdogan"]);
}

#[test]
fn the_two_presidents_after_talks_between_states_are_their_leaders() {
    let got = events(
        "P",
        "Russia and Turkey agreed on a new gas deal.\n\n\
         The two presidents met in Sochi on Friday.",
    );
    assert!(has(&got, "Vladimir Putin | meet 04 | - | Recep Tayyip Erdogan"), "{got:#?}");
}

#[test]
fn a_title_case_headline_keeps_prepositions_out_of_names() {
    let got = events("Turkey Blames Syria Following Border Clash", "Turkey said so.");
    assert_eq!(got, vec!["Turkey | accuse 11 | Border Clash | Syria"]);
}

#[test]
fn what_a_pattern_closes_is_the_topic_when_nothing_else_is_named() {
    let got = events("C", "Turkey closed the border on Monday.");
    assert_eq!(got, vec!["Turkey | close border 16 | border | -"]);
    let got = events("C", "Turkey closed the border with Syria.");
    assert_eq!(got, vec!["Turkey | close border 16 | - | Syria"]);
}

#[test]
fn an_intent_to_keep_working_for_something_is_about_it() {
    let got = events("K", "Turkey pledged to go on working for a settlement of the water dispute.");
    assert_eq!(got, vec!["Turkey | pledge 03 | settlement of the water dispute | -"]);
}

#[test]
fn they_after_a_named_pair_in_the_sentence_is_that_pair() {
    let got = events(
        "T",
        "Egypt and Ethiopia signed a deal on migration.\n\n\
         Greece praised the understanding that Putin and Erdogan reached when they met in Sochi.",
    );
    assert!(has(&got, "Vladimir Putin | meet 04 | - | Recep Tayyip Erdogan"), "{got:#?}");
}

#[test]
fn a_claim_accuses_only_a_named_party() {
    let got = events("C", "Egypt claimed that Ethiopia had filled the dam.");
    assert_eq!(got, vec!["Egypt | allege 11 | Grand Ethiopian Renaissance Dam | Ethiopia"]);
    assert!(events("C", "Egypt claimed that the talks went well.").is_empty());
}

#[test]
fn what_an_act_is_aimed_at_is_its_target() {
    let got = events("A", "Turkey imposed new sanctions aimed at the Syrian government.");
    assert_eq!(got, vec!["Turkey | impose sanctions 16 | - | Syria"]);
    // A place someone aims at is no counterpart.
    let got = events("A", "Turkey imposed new sanctions on Monday at Ankara.");
    assert!(got.is_empty(), "{got:#?}");
}

/// Trigger patterns: modifiers and optional articles.
mod patterns {
    use super::*;
    use crate::text::tokenize;

    fn words(pattern: &str) -> Vec<String> {
        pattern.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn patterns_allow_modifiers_and_optional_articles() {
        let no_mention = |_: usize| false;
        let tokens = tokenize("holds phone call with X");
        assert_eq!(match_trigger(&tokens, 0, &words("holds a phone call"), &no_mention), Some(3));
        let tokens = tokenize("expressed deep and serious concern");
        assert_eq!(match_trigger(&tokens, 0, &words("expressed concern"), &no_mention), None);
        let tokens = tokenize("expressed very deep concern");
        assert_eq!(match_trigger(&tokens, 0, &words("expressed concern"), &no_mention), Some(4));
        let tokens = tokenize("unveiled a raft of fresh sanctions");
        assert_eq!(match_trigger(&tokens, 0, &words("unveiled sanctions"), &no_mention), Some(6));
        let tokens = tokenize("unveiled a very big fresh sanctions");
        assert_eq!(match_trigger(&tokens, 0, &words("unveiled sanctions"), &no_mention), None);
        let tokens = tokenize("signed the agreement");
        assert_eq!(match_trigger(&tokens, 0, &words("signed the agreement"), &no_mention), Some(3));
    }
}

#[test]
fn dedup_by_id_keeps_the_first_of_each_in_order() {
    let entity = |id: &str, name: &str| {
        Entity::from(EntityFields {
            id: EntityId(id.to_string()),
            name: name.to_string(),
            kind: EntityKind::State,
            country: None,
        })
    };
    let mut list = vec![
        entity("state:TUR", "Turkey"),
        entity("state:RUS", "Russia"),
        entity("state:TUR", "Türkiye"),
        entity("state:IRN", "Iran"),
        entity("state:RUS", "Russian Federation"),
        entity("state:IRN", "Persia"),
    ];
    dedup_by_id(&mut list);
    let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Turkey", "Russia", "Iran"]);
    let mut empty: Vec<Entity> = Vec::new();
    dedup_by_id(&mut empty);
    assert!(empty.is_empty());
}

/// Arbitrary input never panics and events keep their invariants.
mod robustness {
    use super::*;
    use crate::article::{parse_json_article, parse_text_article};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn lexicon() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::embedded().unwrap_or_default())
    }

    const WORDS: &[&str] = &[
        "Minister",
        "Foreign",
        "called",
        "for",
        "calling",
        "(",
        ")",
        "Council",
        "ministry",
        "Valley",
        "area",
        "from",
        "that",
        "is",
        "displeased",
        "against",
        "sanctions",
        "EU",
        "Egyptian",
        "ministers",
        "Jane",
        "Roe",
        "out",
        "ordered",
        "his",
        "country",
        "it",
        "of",
        "Declaration",
        "Athens",
        "shooting",
        "down",
        "at",
        "situation",
        "in",
        "Ukraine",
        "’s",
        "Putin",
        "Erdogan",
        "the",
        "two",
        "leaders",
        "discussed",
        "Syria",
        ",",
        ".",
        "\"",
        "and",
        "his",
        "Turkish",
        "counterpart",
        "was",
        "summoned",
        "by",
        "Ankara",
        "talks",
        "between",
        "on",
        "Tuesday",
        "did",
        "not",
        "condemn",
        "to",
        "sign",
        "France",
        "'s",
        "President",
        "with",
        "He",
        "they",
        "agreed",
        "clashes",
        "forces",
        "Azeri",
        "which",
        "said",
        "é",
        "—",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
            if let Some(article) = parse_text_article(&text, "x") {
                let _ = Extractor::new(lexicon()).extract(&article);
            }
            let _ = parse_json_article(&text, "x");
        }

        #[test]
        fn word_salad_never_panics(words in proptest::collection::vec(0..WORDS.len(), 0..60)) {
            let body: Vec<&str> = words.iter().map(|&i| WORDS[i]).collect();
            let text = format!("Head\nhttps://x.example/1\n\nOct 27, 2020\n\n{}\n", body.join(" "));
            let article = parse_text_article(&text, "x").expect("layout article");
            let events = Extractor::new(lexicon()).extract(&article);
            for event in events {
                prop_assert!(event.topic.is_some() || !event.participants.is_empty());
                prop_assert!(event.participants.iter().all(|p| p.id != event.actor.id));
            }
        }
    }
}
