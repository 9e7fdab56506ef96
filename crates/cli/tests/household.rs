//! `hark household set`: a household's settings from the command line.

use crate::support::{data_dir, hark, Database};

fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = hark()
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .args(Database::sqlite().args())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn set_changes_the_location_and_the_weather_units() {
    let dir = data_dir("household-set");
    let (ok, created, err) = run(
        &dir,
        &["household", "create", "Home", "--time-zone", "Europe/Paris"],
    );
    assert!(ok, "{err}");
    assert!(created.starts_with("household\thh_"), "{created}");

    let (ok, set, err) = run(
        &dir,
        &[
            "household",
            "set",
            "--location",
            "Lyon",
            "--latitude",
            "45.76",
            "--longitude",
            "4.84",
            "--units",
            "imperial",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        set.trim_end()
            .ends_with("\tHome\tEurope/Paris\tLyon (45.76, 4.84)\timperial"),
        "{set}"
    );

    let (ok, set, err) = run(
        &dir,
        &["household", "set", "--no-location", "--units", "metric"],
    );
    assert!(ok, "{err}");
    assert!(set.trim_end().ends_with("\t(no location)\tmetric"), "{set}");

    let (ok, _, err) = run(&dir, &["household", "set", "--units", "kelvin"]);
    assert!(!ok);
    assert!(err.contains("not metric or imperial"), "{err}");
    let (ok, _, err) = run(
        &dir,
        &[
            "household",
            "set",
            "--location",
            "Mars",
            "--latitude",
            "120",
            "--longitude",
            "0",
        ],
    );
    assert!(!ok);
    assert!(err.contains("latitude"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
