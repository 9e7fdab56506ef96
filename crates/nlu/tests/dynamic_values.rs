//! Names learned at run time (the music library's) become slot values the
//! templates know, and rank before free-text readings.

use hark_nlu::{builtin, Matcher};

use crate::support::context_at;

fn matcher_with(names: &[&str]) -> Matcher {
    let mut grammar = builtin::grammar("en").unwrap_or_else(|e| panic!("{e}"));
    grammar.set_dynamic_values("media_name", names.iter().copied());
    Matcher::new(&grammar).unwrap_or_else(|e| panic!("{e}"))
}

fn slots(matcher: &Matcher, sentence: &str) -> serde_json::Value {
    let parsed = matcher
        .parse(sentence, &context_at("2026-06-01T12:00:00+00:00[UTC]"))
        .unwrap_or_else(|| panic!("{sentence:?} did not parse"));
    assert_eq!(
        parsed.intent.name.as_str(),
        "HassMediaSearchAndPlay",
        "{sentence}"
    );
    serde_json::to_value(&parsed.intent.slots).unwrap()
}

#[test]
fn a_known_title_with_by_in_it_is_a_title_not_an_artist() {
    let without = matcher_with(&[]);
    let unknown = slots(&without, "play stand by me");
    assert_eq!(
        unknown["artist"], "me",
        "free text reads 'by' as the artist"
    );

    let with = matcher_with(&["Stand by Me", "Ben E. King", "Abbey Road", "The Beatles"]);
    let known = slots(&with, "play stand by me");
    assert_eq!(known["search_query"], "Stand by Me");
    assert!(known.get("artist").is_none(), "{known}");

    let both = slots(&with, "play abbey road by the beatles");
    assert_eq!(both["search_query"], "Abbey Road");
    assert_eq!(both["artist"], "The Beatles");
}

#[test]
fn names_keep_their_class_and_shuffle() {
    let with = matcher_with(&["Road Trip", "Miles Davis"]);
    let playlist = slots(&with, "play my road trip playlist");
    assert_eq!(playlist["search_query"], "Road Trip");
    assert_eq!(playlist["media_class"], "playlist");

    let artist = slots(&with, "play something by miles davis");
    assert_eq!(artist["search_query"], "Miles Davis");
    assert_eq!(artist["media_class"], "artist");

    let shuffled = slots(&with, "shuffle my road trip playlist");
    assert_eq!(shuffled["search_query"], "Road Trip");
    assert_eq!(shuffled["shuffle"], true);
}

#[test]
fn names_with_template_syntax_are_plain_words() {
    let with = matcher_with(&["(What's the Story) Morning Glory?", "A|B", "", "!!!"]);
    let title = slots(&with, "play what's the story morning glory");
    assert_eq!(title["search_query"], "(What's the Story) Morning Glory?");
}
