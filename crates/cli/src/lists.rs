//! `hark lists`: the household's shopping list, to-do list and named lists,
//! through a running server's API (`/v1/lists`).
//!
//! Items are named by their text ("eggs" finds "Egg", as the server compares
//! them) or by their id. `--json` prints the API's answer instead of lines
//! for people.

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use hark_core::lists::item_key;
use serde_json::{json, Value};

use crate::settings::Settings;

/// `hark lists [--json] [COMMAND]`.
#[derive(Debug, Args)]
pub struct ListsArgs {
    /// Print the API's JSON answer.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<ListsCommand>,
}

#[derive(Debug, Subcommand)]
enum ListsCommand {
    /// Every list, with how many items are open and done (the default).
    All,
    /// The items of one list.
    Show {
        /// The list's name: shopping, "to do", christmas, ...
        name: String,
    },
    /// Add items to a list; one already there is not added twice.
    Add {
        /// The list's name.
        name: String,
        /// The items, each one argument ("oat milk" eggs).
        #[arg(required = true)]
        items: Vec<String>,
    },
    /// Check an item off.
    Done {
        /// The list's name.
        name: String,
        /// The item's text or id.
        item: String,
    },
    /// Remove an item.
    Remove {
        /// The list's name.
        name: String,
        /// The item's text or id.
        item: String,
    },
    /// Remove every item of a list.
    Clear {
        /// The list's name.
        name: String,
    },
    /// Create an empty named list.
    Create {
        /// Its name.
        name: String,
    },
    /// Delete a named list and its items (admin token).
    Delete {
        /// Its name.
        name: String,
    },
}

/// Runs `hark lists`.
pub fn run(settings: &Settings, args: ListsArgs) -> Result<()> {
    let api = Api::new(settings)?;
    let json = args.json;
    match args.command.unwrap_or(ListsCommand::All) {
        ListsCommand::All => {
            let lists = api.call("GET", "lists", None)?;
            if json {
                return print_json(&lists);
            }
            for list in lists.as_array().into_iter().flatten() {
                let items = list["items"].as_array().map_or(&[][..], Vec::as_slice);
                let done = items.iter().filter(|i| i["done"] == true).count();
                println!(
                    "{}\t{} open\t{} done",
                    list["name"].as_str().unwrap_or("-"),
                    items.len() - done,
                    done
                );
            }
        }
        ListsCommand::Show { name } => {
            let list = api.call("GET", &path(&name, ""), None)?;
            if json {
                return print_json(&list);
            }
            let items = list["items"].as_array().map_or(&[][..], Vec::as_slice);
            if items.is_empty() {
                println!(
                    "The {} list is empty.",
                    list["name"].as_str().unwrap_or(&name)
                );
            }
            for item in items {
                println!(
                    "[{}] {}\t{}",
                    if item["done"] == true { "x" } else { " " },
                    item["text"].as_str().unwrap_or("-"),
                    item["id"].as_str().unwrap_or("-")
                );
            }
        }
        ListsCommand::Add { name, items } => {
            let added = api.call(
                "POST",
                &path(&name, "/items"),
                Some(json!({ "items": items })),
            )?;
            if json {
                return print_json(&added);
            }
            for entry in added.as_array().into_iter().flatten() {
                let text = entry["item"]["text"].as_str().unwrap_or("-");
                match entry["outcome"].as_str() {
                    Some("added") => println!("added\t{text}"),
                    Some("reopened") => println!("added again (it was checked off)\t{text}"),
                    _ => println!("already on the list\t{text}"),
                }
            }
        }
        ListsCommand::Done { name, item } => {
            let id = api.find(&name, &item)?;
            let changed = api.call(
                "PATCH",
                &path(&name, &format!("/items/{id}")),
                Some(json!({"done": true})),
            )?;
            if json {
                return print_json(&changed);
            }
            println!("checked off\t{}", changed["text"].as_str().unwrap_or(&item));
        }
        ListsCommand::Remove { name, item } => {
            let id = api.find(&name, &item)?;
            api.call("DELETE", &path(&name, &format!("/items/{id}")), None)?;
            if json {
                return print_json(&json!({"removed": id}));
            }
            println!("removed\t{item}");
        }
        ListsCommand::Clear { name } => {
            let cleared = api.call("DELETE", &path(&name, "/items"), None)?;
            if json {
                return print_json(&cleared);
            }
            let count = cleared["removed"].as_u64().unwrap_or(0);
            println!("removed {count} item{}", if count == 1 { "" } else { "s" });
        }
        ListsCommand::Create { name } => {
            let list = api.call("POST", "lists", Some(json!({ "name": name })))?;
            if json {
                return print_json(&list);
            }
            println!("created\t{}", list["name"].as_str().unwrap_or(&name));
        }
        ListsCommand::Delete { name } => {
            api.call("DELETE", &path(&name, ""), None)?;
            if json {
                return print_json(&json!({"deleted": name}));
            }
            println!("deleted\t{name}");
        }
    }
    Ok(())
}

fn print_json(value: &Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `lists/{name}{rest}`, the name escaped for a URL path.
fn path(name: &str, rest: &str) -> String {
    let mut escaped = String::new();
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                escaped.push(char::from(byte))
            }
            other => escaped.push_str(&format!("%{other:02X}")),
        }
    }
    format!("lists/{escaped}{rest}")
}

struct Api {
    base: String,
    auth: String,
    agent: ureq::Agent,
}

impl Api {
    fn new(settings: &Settings) -> Result<Api> {
        let config = settings.config()?;
        let token = crate::ask::token(&config)?;
        Ok(Api {
            base: format!("{}/v1/", config.server.trim_end_matches('/')),
            auth: format!("Bearer {token}"),
            agent: ureq::Agent::config_builder()
                .timeout_global(Some(std::time::Duration::from_secs(10)))
                .http_status_as_error(false)
                .build()
                .into(),
        })
    }

    /// One call; the answer's JSON (`null` for an empty answer), or the API's error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let auth = self.auth.as_str();
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", auth).call(),
            ("DELETE", _) => self.agent.delete(&url).header("Authorization", auth).call(),
            ("PATCH", body) => self
                .agent
                .patch(&url)
                .header("Authorization", auth)
                .send_json(body.unwrap_or_default()),
            (_, body) => self
                .agent
                .post(&url)
                .header("Authorization", auth)
                .send_json(body.unwrap_or_default()),
        };
        let mut response = response.map_err(|e| {
            anyhow!(
                "cannot reach hark at {}: {e} (is `hark serve` running?)",
                self.base
            )
        })?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .context("reading the server's answer")?;
        let answer: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).context("reading the server's answer")?
        };
        if !status.is_success() {
            let code = answer["error"]["code"].as_str().unwrap_or("unknown");
            let message = answer["error"]["message"].as_str().unwrap_or_default();
            bail!("{code}: {message}");
        }
        Ok(answer)
    }

    /// The id of the item of list `name` that `item` names: its id, or its
    /// text compared as the server compares items.
    fn find(&self, name: &str, item: &str) -> Result<String> {
        let list = self.call("GET", &path(name, ""), None)?;
        let items = list["items"].as_array().map_or(&[][..], Vec::as_slice);
        let key = item_key(item);
        items
            .iter()
            .find(|i| i["id"] == item)
            .or_else(|| {
                items
                    .iter()
                    .find(|i| i["text"].as_str().is_some_and(|t| item_key(t) == key))
            })
            .and_then(|i| i["id"].as_str())
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{item:?} is not on the {name} list"))
    }
}
