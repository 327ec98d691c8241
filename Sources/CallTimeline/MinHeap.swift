/// A binary min-heap: the reorder buffers of pass 2 (by sequence number) and the legs' queues (by position).
struct MinHeap<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private let less: @Sendable (Element, Element) -> Bool

    init(by less: @escaping @Sendable (Element, Element) -> Bool) {
        self.less = less
    }

    var isEmpty: Bool { storage.isEmpty }
    var count: Int { storage.count }
    var minimum: Element? { storage.first }

    mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMinimum() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let top = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count && less(storage[left], storage[smallest]) { smallest = left }
            if right < storage.count && less(storage[right], storage[smallest]) { smallest = right }
            if smallest == parent { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
