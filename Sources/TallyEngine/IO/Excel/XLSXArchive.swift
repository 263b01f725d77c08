import Foundation
import ZIPFoundation

/// The zip container of an .xlsx file, with the checks that turn a file that is not one into a clear
/// message: a legacy .xls, a password-protected workbook, a file that is not a zip at all.
struct XLSXArchive {
    let path: String
    private let archive: Archive
    /// The parts' places in the file, read and inflated by Tally (see `ZipParts`).
    private let parts: ZipParts

    /// The most bytes one part may unpack to: half the machine's memory, and never more than 4 GiB
    /// (a zip that claims more is either not a workbook or a zip bomb).
    static var partLimit: UInt64 {
        min(ProcessInfo.processInfo.physicalMemory / 2, 4 << 30)
    }

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TallyError(.io, "cannot read `\(path)`: no such file", hint: "check the path; `.sheets FILE.xlsx` lists a workbook's sheets")
        }
        guard !isDirectory.boolValue else {
            throw TallyError(.io, "`\(path)` is a folder, not a workbook", hint: "name an .xlsx file inside it")
        }
        let head = XLSXArchive.firstBytes(path, 8)
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            if XLSXArchive.isEncryptedPackage(path) {
                throw TallyError(.io, "`\(path)` is a password-protected workbook",
                                 hint: "open it in Excel or LibreOffice, remove the password (File ▸ Info ▸ Protect Workbook), save as .xlsx, then load it again")
            }
            throw TallyError(.io, "`\(path)` is a legacy Excel 97–2003 workbook (.xls), which Tally does not read",
                             hint: "convert it to .xlsx first, e.g. `libreoffice --headless --convert-to xlsx \(path)`, or save it as .xlsx from Excel")
        }
        guard head.starts(with: [0x50, 0x4B]) else {
            throw TallyError(.io, "`\(path)` is not an .xlsx workbook: it is not a zip file",
                             hint: head.isEmpty ? "the file is empty" : "an .xlsx file is a zip of XML parts; was it saved as CSV or HTML under an .xlsx name?")
        }
        guard let archive = try? Archive(url: URL(fileURLWithPath: path), accessMode: .read), let parts = ZipParts(path: path) else {
            throw TallyError(.io, "`\(path)` is not a readable .xlsx workbook: its zip container is damaged",
                             hint: "open and save it again in a spreadsheet program")
        }
        self.archive = archive
        self.parts = parts
    }

    func contains(_ part: String) -> Bool { archive[part] != nil }

    /// The bytes of a part (`xl/workbook.xml`), or nil when the workbook has no such part.
    func part(_ name: String, sheet: String? = nil) throws -> [UInt8]? {
        guard archive[name] != nil else { return nil }
        let where_ = sheet.map { " (sheet `\($0)`)" } ?? ""
        let damaged = "open and save the workbook again in a spreadsheet program"
        guard let entry = parts[name] else {
            throw TallyError(.io, "`\(path)`\(where_): the workbook is damaged: its zip directory does not list the part `\(name)` readably",
                             hint: damaged)
        }
        guard entry.uncompressedSize <= XLSXArchive.partLimit else {
            throw TallyError(.io, "`\(path)`\(where_): the part `\(name)` unpacks to \(Int(clamping: entry.uncompressedSize).formatted(grouping: true)) bytes, more than memory allows",
                             hint: "split the sheet into smaller sheets or export it to CSV")
        }
        do {
            return try parts.bytes(of: entry)
        } catch ZipParts.Failure.endsEarly {
            // The part's data, or its deflate stream, stops before the end its header gives: a
            // truncated or damaged file.
            throw TallyError(.io, "`\(path)`\(where_): the workbook is damaged: the part `\(name)` ends early",
                             hint: "the file is truncated or damaged; " + damaged)
        } catch ZipParts.Failure.unsupportedMethod(let method) {
            throw TallyError(.io, "`\(path)`\(where_): the part `\(name)` is compressed with zip method \(method), which Tally does not read",
                             hint: "open the workbook in a spreadsheet program and save it again as .xlsx")
        } catch ZipParts.Failure.corrupt(let reason) {
            throw TallyError(.io, "`\(path)`\(where_): the workbook is damaged: the part `\(name)` is corrupt (\(reason))",
                             hint: damaged)
        } catch {
            throw TallyError(.io, "`\(path)`\(where_): cannot read the part `\(name)`: \(error.localizedDescription)",
                             hint: damaged)
        }
    }

    private static func firstBytes(_ path: String, _ count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8](handle.readData(ofLength: count))
    }

    /// Whether an OLE compound file holds an `EncryptedPackage` stream: how Office stores an .xlsx
    /// encrypted with a password. The directory's names are UTF-16LE; a scan of the file is enough.
    static func isEncryptedPackage(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let needle = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= needle.count, let first = needle.first else { return false }
            var i = 0
            while i + needle.count <= bytes.count {
                if bytes[i] == first {
                    var k = 1
                    while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                    if k == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
