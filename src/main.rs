fn main() {
    std::process::exit(adsconf::run());
}
