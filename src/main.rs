use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let config = geoevents::cli::Args::parse().into_config();
    match geoevents::run(
        &config,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("geoevents: error: {:#}", anyhow::Error::from(e));
            ExitCode::FAILURE
        }
    }
}
