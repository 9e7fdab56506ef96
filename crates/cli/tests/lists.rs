//! `hark lists` against a running `hark serve`.

use serde_json::Value;

use crate::support::{data_dir, serve};

#[test]
fn lists_from_the_command_line() {
    let dir = data_dir("lists");
    let server = serve(&dir);
    let run = |args: &[&str]| server.client(&dir, &[&["lists"], args].concat());
    let (ok, out, err) = run(&["add", "shopping", "milk", "Eggs", "oat milk"]);
    assert!(ok, "{err}");
    assert_eq!(out, "added\tmilk\nadded\tEggs\nadded\toat milk\n");
    let (ok, out, _) = run(&["add", "shopping", "egg"]);
    assert!(ok);
    assert_eq!(out, "already on the list\tEggs\n");
    let (ok, out, err) = run(&["done", "shopping", "eggs"]);
    assert!(ok, "{err}");
    assert_eq!(out, "checked off\tEggs\n");
    let (ok, out, err) = run(&["remove", "shopping", "milk"]);
    assert!(ok, "{err}");
    assert_eq!(out, "removed\tmilk\n");
    let (ok, out, _) = run(&["show", "shopping"]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(lines, ["[x] Eggs", "[ ] oat milk"]);
    let (ok, out, _) = run(&[]);
    assert!(ok);
    assert_eq!(out, "shopping\t1 open\t1 done\nto do\t0 open\t0 done\n");
    let (ok, out, _) = run(&["show", "to do", "--json"]);
    assert!(ok);
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["name"], "to do");
    let (ok, out, _) = run(&["clear", "shopping"]);
    assert!(ok);
    assert_eq!(out, "removed 2 items\n");
    // Errors: what is not there, and a list that does not exist.
    let (ok, _, err) = run(&["remove", "shopping", "bread"]);
    assert!(!ok);
    assert!(
        err.contains("\"bread\" is not on the shopping list"),
        "{err}"
    );
    let (ok, _, err) = run(&["show", "christmas"]);
    assert!(!ok);
    assert!(err.contains("list_not_found"), "{err}");
    let (ok, _, err) = run(&["add", "shopping", "  "]);
    assert!(!ok);
    assert!(err.contains("invalid_request"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
