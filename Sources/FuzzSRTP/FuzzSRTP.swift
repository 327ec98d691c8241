import FuzzSupport

@main
enum FuzzSRTP {
    static func main() {
        FuzzDriver.run { _ in }
    }
}
