//! A small argument reader: positionals, `--flag value` options and bare `--switch`es.

use crate::CliError;
use std::collections::HashMap;

pub struct Args {
    pub positional: Vec<String>,
    options: HashMap<String, String>,
    switches: Vec<String>,
}

impl Args {
    /// Splits `raw`; `switches` names the options that take no value.
    pub fn parse(raw: &[String], switches: &[&str]) -> Result<Args, CliError> {
        let mut a = Args {
            positional: Vec::new(),
            options: HashMap::new(),
            switches: Vec::new(),
        };
        let mut it = raw.iter();
        while let Some(s) = it.next() {
            if let Some(name) = s.strip_prefix("--") {
                if switches.contains(&name) {
                    a.switches.push(name.to_string());
                } else {
                    let v = it
                        .next()
                        .ok_or_else(|| CliError::usage(format!("--{name} needs a value")))?;
                    if a.options.insert(name.to_string(), v.clone()).is_some() {
                        return Err(CliError::usage(format!("--{name} is given twice")));
                    }
                }
            } else {
                a.positional.push(s.clone());
            }
        }
        Ok(a)
    }

    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    pub fn opt(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> Result<&str, CliError> {
        self.opt(name)
            .ok_or_else(|| CliError::usage(format!("--{name} is required")))
    }

    /// An integer option, parsed exactly (no floating point anywhere).
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, CliError> {
        self.opt(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| CliError::usage(format!("--{name} {v:?} is not a whole number in range")))
            })
            .transpose()
    }

    /// Refuses options this command does not know.
    pub fn only(&self, known: &[&str]) -> Result<(), CliError> {
        for k in self.options.keys().chain(&self.switches) {
            if !known.contains(&k.as_str()) {
                return Err(CliError::usage(format!("unknown option --{k}")));
            }
        }
        Ok(())
    }
}
