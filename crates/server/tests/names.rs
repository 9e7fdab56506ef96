//! Names learned at run time reach the running server's templates at once.

use crate::timers::{say, start};

#[test]
fn learned_media_names_change_how_a_request_is_read() {
    let r = start("names");
    let before = say(&r, "play stand by me", None);
    assert_eq!(before["intent"]["slots"]["artist"], "me", "{before}");

    let names = ["Stand by Me", "Ben E. King"].map(String::from).to_vec();
    r.block_on(r.server().learn_media_names(names)).unwrap();
    let after = say(&r, "play stand by me", None);
    assert_eq!(after["intent"]["name"], "HassMediaSearchAndPlay", "{after}");
    assert_eq!(
        after["intent"]["slots"]["search_query"], "Stand by Me",
        "{after}"
    );
    assert!(after["intent"]["slots"].get("artist").is_none(), "{after}");

    // Forgetting them (an emptied library) goes back to free text.
    r.block_on(r.server().learn_media_names(Vec::new()))
        .unwrap();
    let again = say(&r, "play stand by me", None);
    assert_eq!(again["intent"]["slots"]["artist"], "me", "{again}");
}
