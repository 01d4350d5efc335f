//! The `lextrack` binary: everything happens in the library.

fn main() -> std::process::ExitCode {
    lextrack::cli::main()
}
