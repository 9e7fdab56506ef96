//! The scanner: what it counts, what it reads again, what it removes.

use std::time::{Duration, SystemTime};

use hark_core::media::MediaKind;
use hark_music::Tags;

use crate::support::{noise, tags};

fn set_mtime(path: &std::path::Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

both! {
    async fn counts_every_kind_of_file(fx: &Fixture) {
        fx.add("Beatles/Abbey Road/01.mp3", tags("Come Together", "The Beatles", "Abbey Road", 1));
        fx.add("Beatles/Abbey Road/02.flac", tags("Something", "The Beatles", "Abbey Road", 2));
        fx.add("Miles/So What.ogg", Tags { genre: Some("Jazz".into()), ..tags("So What", "Miles Davis", "Kind of Blue", 1) });
        fx.add("Misc/voice.opus", tags("Voice", "Someone", "Notes", 1));
        fx.add("Misc/untagged tune.wav", Tags::default());
        fx.add("Miles/Blue in Green.m4a", Tags { genre: Some("Jazz".into()), ..tags("Blue in Green", "Miles Davis", "Kind of Blue", 3) });
        fx.add_bytes("Broken/noise.mp3", &noise(64 * 1024, 1));
        fx.add_bytes("Broken/noise.m4a", &noise(4096, 4));
        fx.add_bytes("Broken/noise.flac", &noise(4096, 2));
        fx.add_bytes("Broken/empty.ogg", b"");
        fx.add_bytes("notes.txt", b"liner notes");
        fx.add_bytes("Beatles/Abbey Road/cover.jpg", &noise(2048, 3));

        let report = fx.scan().await;
        assert_eq!(report.files, 12);
        assert_eq!(report.added, 6);
        assert_eq!(report.skipped_corrupt, 4);
        assert_eq!(report.skipped_not_audio, 2);
        assert_eq!((report.updated, report.unchanged, report.removed), (0, 0, 0));
        assert_eq!(report.read, 10);
        // A rescan reads nothing: corrupt files are remembered, and still counted.
        let again = fx.scan().await;
        assert_eq!((again.read, again.unchanged, again.skipped_corrupt, again.skipped_not_audio), (0, 6, 4, 2));

        let all = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        assert_eq!(all.len(), 6);
        let find = |title: &str| all.iter().find(|t| t.view.title == title).unwrap_or_else(|| panic!("no {title}"));
        let come = find("Come Together");
        assert_eq!(come.view.artist.as_deref(), Some("The Beatles"));
        assert_eq!(come.view.album.as_deref(), Some("Abbey Road"));
        assert_eq!(come.track_no, Some(1));
        assert_eq!(come.mime, "audio/mpeg");
        assert!(come.view.duration_ms.unwrap() > 100, "{come:?}");
        assert_eq!(find("Something").mime, "audio/flac");
        assert_eq!(find("So What").genre.as_deref(), Some("Jazz"));
        assert_eq!(find("So What").format, hark_music::Format::Vorbis);
        assert_eq!(find("Voice").format, hark_music::Format::Opus);
        let blue = find("Blue in Green");
        assert_eq!((blue.format, blue.mime), (hark_music::Format::M4a, "audio/mp4"));
        assert_eq!((blue.view.artist.as_deref(), blue.view.album.as_deref()), (Some("Miles Davis"), Some("Kind of Blue")));
        assert_eq!((blue.track_no, blue.genre.as_deref()), (Some(3), Some("Jazz")));
        assert!(blue.view.duration_ms.unwrap() > 100, "{blue:?}");
        // No tags: the file's name is the title.
        let untagged = find("untagged tune");
        assert_eq!(untagged.format, hark_music::Format::Wav);
        assert_eq!(untagged.view.artist, None);
        assert_eq!(untagged.size, std::fs::metadata(&untagged.path).unwrap().len());
    }

    async fn a_rescan_reads_only_changed_files(fx: &Fixture) {
        let one = fx.add("a/one.flac", tags("One", "A", "First", 1));
        let two = fx.add("a/two.flac", tags("Two", "A", "First", 2));
        fx.add("a/three.mp3", tags("Three", "A", "First", 3));
        assert_eq!(fx.scan().await.added, 3);
        let before = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        let version = fx.library.version(&fx.household).await.unwrap();

        let again = fx.scan().await;
        assert_eq!((again.added, again.updated, again.unchanged, again.removed), (0, 0, 3, 0));
        assert_eq!(again.read, 0);
        // Nothing changed, nothing written: the index stays.
        assert_eq!(fx.library.version(&fx.household).await.unwrap(), version);

        // `two` gets new tags but keeps its size and time: a rescan does not open it.
        let two_time = std::fs::metadata(&two).unwrap().modified().unwrap();
        let two_len = std::fs::metadata(&two).unwrap().len();
        hark_music::write_tags(&two, &tags("Owt", "A", "First", 2)).unwrap();
        assert_eq!(std::fs::metadata(&two).unwrap().len(), two_len, "same-size tag rewrite");
        set_mtime(&two, two_time);
        // `one` is touched (tags changed, a new time): only it is read.
        hark_music::write_tags(&one, &tags("One (remastered)", "A", "First", 1)).unwrap();
        set_mtime(&one, SystemTime::now() + Duration::from_secs(5));

        let third = fx.scan().await;
        assert_eq!((third.added, third.updated, third.unchanged, third.removed), (0, 1, 2, 0));
        assert_eq!(third.read, 1, "only the touched file is read");
        let after = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        let titles: Vec<_> = after.iter().map(|t| t.view.title.as_str()).collect();
        assert!(titles.contains(&"One (remastered)"), "{titles:?}");
        assert!(titles.contains(&"Two"), "an unchanged file is not read again: {titles:?}");
        // Updated in place: the same id.
        let id = |tracks: &[hark_music::Track], path: &std::path::Path| {
            tracks.iter().find(|t| t.path == std::fs::canonicalize(path).unwrap()).unwrap().view.id.clone()
        };
        assert_eq!(id(&before, &one), id(&after, &one));
    }

    async fn files_gone_are_removed_and_only_under_the_scanned_folder(fx: &Fixture) {
        let gone = fx.add("rock/gone.mp3", tags("Gone", "B", "Second", 1));
        fx.add("rock/stays.mp3", tags("Stays", "B", "Second", 2));
        fx.add("jazz/elsewhere.flac", tags("Elsewhere", "C", "Third", 1));
        assert_eq!(fx.scan().await.added, 3);

        std::fs::remove_file(&gone).unwrap();
        // Scanning only rock/ leaves jazz/'s tracks alone.
        let rock = hark_music::scan(&fx.store, &fx.household, &fx.dir.join("rock"), |_| {})
            .await
            .unwrap();
        assert_eq!((rock.files, rock.unchanged, rock.removed), (1, 1, 1));
        let mut titles: Vec<_> = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap()
            .into_iter().map(|t| t.view.title).collect();
        titles.sort();
        assert_eq!(titles, ["Elsewhere", "Stays"]);
    }

    async fn a_file_that_turns_corrupt_leaves_the_library(fx: &Fixture) {
        let file = fx.add("x/song.flac", tags("Song", "D", "Fourth", 1));
        fx.add("x/other.flac", tags("Other", "D", "Fourth", 2));
        assert_eq!(fx.scan().await.added, 2);
        std::fs::write(&file, noise(8192, 9)).unwrap();
        set_mtime(&file, SystemTime::now() + Duration::from_secs(5));
        let report = fx.scan().await;
        assert_eq!((report.skipped_corrupt, report.removed, report.unchanged), (1, 1, 1));
        let left = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].view.title, "Other");

        // Repaired: read again, and back in the library.
        fx.add("x/song.flac", tags("Song", "D", "Fourth", 1));
        set_mtime(&file, SystemTime::now() + Duration::from_secs(10));
        let repaired = fx.scan().await;
        assert_eq!((repaired.read, repaired.added, repaired.skipped_corrupt), (1, 1, 0));
        // Broken again, then gone: nothing is left behind.
        std::fs::write(&file, noise(8192, 10)).unwrap();
        set_mtime(&file, SystemTime::now() + Duration::from_secs(15));
        assert_eq!(fx.scan().await.skipped_corrupt, 1);
        std::fs::remove_file(&file).unwrap();
        let gone = fx.scan().await;
        assert_eq!((gone.files, gone.skipped_corrupt, gone.read), (1, 0, 0));
    }

    async fn a_missing_folder_is_an_error_and_changes_nothing(fx: &Fixture) {
        fx.add("y/a.wav", tags("A", "E", "Fifth", 1));
        fx.scan().await;
        let missing = fx.dir.join("no such folder");
        let error = hark_music::scan(&fx.store, &fx.household, &missing, |_| {}).await.unwrap_err();
        assert!(error.to_string().contains("no such folder"), "{error}");
        assert_eq!(fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap().len(), 1);
    }

    async fn progress_reaches_the_total(fx: &Fixture) {
        for i in 0..12 {
            fx.add(&format!("p/{i}.wav"), tags(&format!("T{i}"), "F", "Sixth", i));
        }
        fx.add_bytes("p/readme.txt", b"x");
        let mut seen = Vec::new();
        hark_music::scan(&fx.store, &fx.household, &fx.dir, |p| seen.push(p)).await.unwrap();
        let last = seen.last().unwrap();
        assert_eq!((last.done, last.total), (13, 13));
        assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
    }
}
