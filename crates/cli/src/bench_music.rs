//! `hark bench music-scan`: how fast the music library scans, rescans and searches a large
//! library.
//!
//! It makes `--tracks` small tagged files (one tiny template per format, copied and tagged
//! with made-up artists, albums and titles, ten tracks an album, ten albums an artist, in
//! `Artist/Album/NN Title.ext` folders), then measures on a fresh SQLite database (or
//! `--database-url`): the first scan, a rescan with nothing changed, the first index build,
//! search latency over exact and misspelled names, `names()`, and compiling the grammar with
//! every name as `media_name` values (what a server does after a rescan). With `--voice`, also
//! the voice recognizer's rebuild with those names (what a server with `voice = true` does next:
//! export, trigram model, PocketSphinx), and how many names reach the recognizer's language
//! model. With `--dir`, files already there are reused, so a second run skips the generation.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use hark_core::media::MediaKind;
use hark_music::generate::{extension, tagged_copy, template, FORMATS};
use hark_music::{Library, Tags};
use hark_store::Store;

#[derive(Debug, Args)]
pub struct MusicScanBench {
    /// How many tracks.
    #[arg(long, default_value_t = 50_000)]
    tracks: usize,
    /// Where the files go (kept); default: a temporary folder, removed afterwards.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// The database (must be new or hold no library); default: a temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
    /// Searches to time.
    #[arg(long, default_value_t = 2_000)]
    searches: usize,
    /// Also rebuild the voice recognizer with every name (PocketSphinx and espeak-ng needed),
    /// and count the names its language model reaches.
    #[arg(long)]
    voice: bool,
}

const ADJECTIVES: &[&str] = &[
    "Blue",
    "Electric",
    "Silent",
    "Golden",
    "Broken",
    "Wild",
    "Midnight",
    "Velvet",
    "Crimson",
    "Hollow",
    "Distant",
    "Burning",
    "Frozen",
    "Gentle",
    "Restless",
    "Northern",
    "Paper",
    "Silver",
    "Lonely",
    "Bright",
    "Secret",
    "Wandering",
    "Quiet",
    "Stormy",
    "Sweet",
];
const NOUNS: &[&str] = &[
    "River", "Garden", "Highway", "Mirror", "Ocean", "Lantern", "Harbor", "Canyon", "Shadow",
    "Meadow", "Engine", "Window", "Thunder", "Feather", "Valley", "Station", "Island", "Forest",
    "Signal", "Horizon", "Circus", "Orchard", "Compass", "Glacier", "Desert",
];
const VERBS: &[&str] = &[
    "Chasing", "Dancing", "Waiting", "Falling", "Running", "Dreaming", "Calling", "Leaving",
    "Holding", "Finding", "Burning", "Singing", "Drifting", "Breaking", "Counting",
];
const GENRES: &[&str] = &[
    "Jazz",
    "Rock",
    "Pop",
    "Classical",
    "Blues",
    "Folk",
    "Electronic",
    "Soul",
    "Reggae",
    "Metal",
];

fn pick<'a>(list: &[&'a str], n: usize) -> &'a str {
    list[n % list.len()]
}

/// The made-up names of track `i`: artist, album, title (unique in the album), genre.
fn names(i: usize) -> (String, String, String, &'static str) {
    let album_no = i / 10;
    let artist_no = album_no / 10;
    let artist = format!(
        "The {} {}s {}",
        pick(ADJECTIVES, artist_no * 7),
        pick(NOUNS, artist_no * 3 + artist_no / 25),
        artist_no
    );
    let album = format!(
        "{} {} {}",
        pick(ADJECTIVES, album_no * 11 + 3),
        pick(NOUNS, album_no * 13 + album_no / 25),
        album_no
    );
    // 15 × 25 × 25 = 9,375 distinct titles before they repeat.
    let title = format!(
        "{} the {} {}",
        pick(VERBS, i),
        pick(ADJECTIVES, i / VERBS.len()),
        pick(NOUNS, i / (VERBS.len() * ADJECTIVES.len()))
    );
    (artist, album, title, pick(GENRES, artist_no))
}

fn path_of(dir: &Path, i: usize) -> PathBuf {
    let (artist, album, title, _) = names(i);
    let format = FORMATS[i % FORMATS.len()];
    dir.join(artist)
        .join(album)
        .join(format!("{:02} {title}.{}", i % 10 + 1, extension(format)))
}

/// Makes the files that are missing, on every core.
fn generate(dir: &Path, tracks: usize) -> Result<usize> {
    let templates: Vec<PathBuf> = FORMATS
        .iter()
        .map(|&format| template(format, &dir.join(".templates"), 0.2))
        .collect::<Result<_, _>>()
        .context("making the template files (scripts/setup.sh installs sox, lame, opus-tools)")?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let made = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|worker| {
                let templates = &templates;
                let made = &made;
                scope.spawn(move || -> Result<()> {
                    for i in (worker..tracks).step_by(threads) {
                        let path = path_of(dir, i);
                        if path.exists() {
                            continue;
                        }
                        let (artist, album, title, genre) = names(i);
                        let tags = Tags {
                            title: Some(title),
                            artist: Some(artist),
                            album: Some(album),
                            genre: Some(genre.to_string()),
                            track_no: Some((i % 10 + 1) as u32),
                            ..Tags::default()
                        };
                        tagged_copy(&templates[i % FORMATS.len()], &path, &tags)?;
                        made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("a generator thread panicked"))??;
        }
        anyhow::Ok(())
    })?;
    // The templates are not part of the library.
    std::fs::remove_dir_all(dir.join(".templates"))?;
    Ok(made.into_inner())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// "abbey rode": one letter of the name's longest word changed.
fn misspell(name: &str) -> String {
    let longest = name
        .split(' ')
        .max_by_key(|w| w.len())
        .unwrap_or_default()
        .to_string();
    let mut chars: Vec<char> = longest.chars().collect();
    if chars.len() > 3 {
        let at = chars.len() - 2;
        chars[at] = if chars[at] == 'e' { 'a' } else { 'e' };
    }
    name.replacen(&longest, &chars.into_iter().collect::<String>(), 1)
}

pub fn run(args: MusicScanBench) -> Result<()> {
    if args.tracks == 0 {
        bail!("--tracks must be at least 1");
    }
    let temporary = std::env::temp_dir().join(format!("hark-bench-music-{}", std::process::id()));
    let dir = args.dir.clone().unwrap_or_else(|| temporary.join("music"));
    let result = measure(&args, &dir, &temporary);
    let _ = std::fs::remove_dir_all(&temporary);
    result
}

fn measure(args: &MusicScanBench, dir: &Path, temporary: &Path) -> Result<()> {
    let started = Instant::now();
    let made = generate(dir, args.tracks)?;
    eprintln!(
        "{made} files made ({} already there) in {:.1} s",
        args.tracks - made,
        started.elapsed().as_secs_f64()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let url = args.database_url.clone().unwrap_or_else(|| {
            temporary.join("hark.sqlite").to_string_lossy().into_owned()
        });
        let store = Store::open(&url).await?;
        let household = store
            .create_household("Bench", "UTC", None, jiff::Timestamp::now())
            .await?
            .id;
        let first = hark_music::scan(&store, &household, dir, |_| {}).await?;
        if first.added as usize != args.tracks {
            bail!("the first scan added {} of {} tracks: {first:?}", first.added, args.tracks);
        }
        let again = hark_music::scan(&store, &household, dir, |_| {}).await?;
        if again.unchanged as usize != args.tracks {
            bail!("the rescan found changes: {again:?}");
        }

        let library = Library::new(store.clone());
        let at = Instant::now();
        library.search(&household, "warm up", None, None).await?;
        let build = at.elapsed().as_secs_f64();

        let queries: Vec<String> = (0..args.searches)
            .map(|n| {
                let i = (n * 7919) % args.tracks;
                let (artist, album, title, _) = names(i);
                match n % 4 {
                    0 => album,
                    1 => misspell(&album),
                    2 => title,
                    _ => misspell(&artist),
                }
            })
            .collect();
        let mut times = Vec::with_capacity(queries.len());
        let (mut hits, mut checked) = (0, 0);
        for (n, query) in queries.iter().enumerate() {
            let at = Instant::now();
            let found = library.search(&household, query, None, None).await?;
            times.push(at.elapsed().as_secs_f64() * 1000.0);
            let i = (n * 7919) % args.tracks;
            let (artist, album, _, _) = names(i);
            let wanted = match n % 4 {
                0 | 1 => Some(album),
                3 => Some(artist),
                _ => None,
            };
            if let Some(wanted) = wanted {
                checked += 1;
                if found.first().is_some_and(|m| m.name == wanted) {
                    hits += 1;
                }
            }
        }
        times.sort_by(f64::total_cmp);

        let at = Instant::now();
        let names = library.names(&household).await?;
        let names_ms = at.elapsed().as_secs_f64() * 1000.0;
        let all = names.all();

        let at = Instant::now();
        let mut grammar = hark_nlu::builtin::grammar("en")?;
        grammar.set_dynamic_values("media_name", all.clone());
        let matcher = hark_nlu::Matcher::new(&grammar)?;
        let grammar_s = at.elapsed().as_secs_f64();
        drop(matcher);
        let voice = match args.voice {
            true => Some(voice_rebuild(&grammar, &all)?),
            false => None,
        };

        let album = library
            .search(&household, &names.albums[0], Some(MediaKind::Album), None)
            .await?;
        let at = Instant::now();
        let tracks = library
            .tracks(&household, MediaKind::Album, &album[0].id)
            .await?;
        let tracks_ms = at.elapsed().as_secs_f64() * 1000.0;

        println!("| measure | value |");
        println!("| --- | --- |");
        println!("| tracks | {} ({} formats) |", args.tracks, FORMATS.len());
        println!(
            "| first scan | {:.1} s, {:.0} files/s |",
            first.seconds, first.files_per_sec
        );
        println!(
            "| rescan, nothing changed | {:.2} s, {:.0} files/s |",
            again.seconds, again.files_per_sec
        );
        println!("| index build (first search) | {:.0} ms |", build * 1000.0);
        println!(
            "| search p50 / p99 ({} queries, half misspelled) | {:.2} ms / {:.2} ms |",
            queries.len(),
            percentile(&times, 50.0),
            percentile(&times, 99.0)
        );
        println!(
            "| best match right (exact and misspelled albums, misspelled artists) | {hits} of {checked} |"
        );
        println!(
            "| names() | {names_ms:.1} ms ({} artists, {} albums, {} titles, {} genres; {} distinct) |",
            names.artists.len(),
            names.albums.len(),
            names.titles.len(),
            names.genres.len(),
            all.len()
        );
        println!(
            "| grammar compiled with every name as media_name | {:.2} s |",
            grammar_s
        );
        println!(
            "| tracks() of an album ({} tracks) | {tracks_ms:.2} ms |",
            tracks.len()
        );
        if let Some(voice) = voice {
            voice.print(all.len());
        }
        anyhow::Ok(())
    })
}

/// The voice recognizer rebuilt with every name, and what its language model holds of them.
struct VoiceRebuild {
    /// `hark_voice::Voice::new`, as `Server::learn_media_names` calls it with voice on.
    seconds: f64,
    /// Of which exporting the grammar and building the trigram model (timed again, alone).
    model_seconds: f64,
    /// The recognizer's vocabulary.
    words: usize,
    /// Sentences the model was built from: drawn at random, then `covering` more.
    sentences: usize,
    /// Sentences added for the list values (names, mostly) the random ones lacked.
    covering: usize,
    /// Names whose words are all in the vocabulary.
    in_vocabulary: usize,
    /// Names whose words all occur in the sampled sentences.
    words_sampled: usize,
    /// Names whose adjacent word pairs all occur in the sampled sentences (a one-word name
    /// has none): at most the names sampled whole, since other names share pairs.
    pairs_sampled: usize,
}

/// Builds the voice pipeline on `grammar` (with the library's names in it), then the same
/// language model again to look inside it: which of `names` it reaches. A word of the grammar
/// that no sampled sentence holds keeps only a small unigram probability; a name whose words
/// never follow each other in a sampled sentence is hard to recognize whole.
fn voice_rebuild(grammar: &hark_nlu::Grammar, names: &[String]) -> Result<VoiceRebuild> {
    use hark_nlu::{jsgf, lm};
    let config = hark_voice::Config::default();
    let options = config.language_model_options();
    let at = Instant::now();
    let voice = hark_voice::Voice::new(grammar, config)?;
    let seconds = at.elapsed().as_secs_f64();
    drop(voice);

    // As `Voice::new` builds it for the whole grammar (no `intents`).
    let at = Instant::now();
    let exported = jsgf::export(grammar, &jsgf::Options::default())?;
    let model = lm::build(&exported, &options)?;
    let model_seconds = at.elapsed().as_secs_f64();

    let pairs = bigrams(&model.text);
    let sampled: std::collections::HashSet<&str> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let (mut in_vocabulary, mut words_sampled, mut pairs_sampled) = (0, 0, 0);
    for name in names {
        let Some(words) = jsgf::spoken_words(name) else {
            continue;
        };
        in_vocabulary += words.iter().all(|w| exported.vocabulary.contains(w)) as usize;
        words_sampled += words.iter().all(|w| sampled.contains(w.as_str())) as usize;
        pairs_sampled += words
            .windows(2)
            .all(|pair| pairs.contains(&(pair[0].clone(), pair[1].clone())))
            as usize;
    }
    Ok(VoiceRebuild {
        seconds,
        model_seconds,
        words: exported.vocabulary.len(),
        sentences: model.sentences,
        covering: model.covering,
        in_vocabulary,
        words_sampled,
        pairs_sampled,
    })
}

/// The bigrams an ARPA model lists: the word pairs its sampled sentences hold.
fn bigrams(arpa: &str) -> std::collections::HashSet<(String, String)> {
    arpa.lines()
        .skip_while(|line| line.trim() != "\\2-grams:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('\\'))
        .filter_map(|line| {
            let mut fields = line.split_whitespace().skip(1);
            Some((fields.next()?.to_string(), fields.next()?.to_string()))
        })
        .collect()
}

impl VoiceRebuild {
    fn print(&self, names: usize) {
        println!(
            "| voice recognizer rebuilt with every name (export, trigram model, PocketSphinx) | {:.2} s ({} words) |",
            self.seconds, self.words
        );
        println!(
            "| the export and trigram model alone, timed again | {:.2} s |",
            self.model_seconds
        );
        println!(
            "| sentences of the model: at random / added, one for each list value they lacked | {} / {} |",
            self.sentences - self.covering,
            self.covering
        );
        println!(
            "| names in the model's vocabulary / every word sampled / every word pair sampled | {} / {} / {} of {names} |",
            self.in_vocabulary, self.words_sampled, self.pairs_sampled
        );
    }
}
