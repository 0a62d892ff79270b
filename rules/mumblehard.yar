/*
 * mumblehard.yar - mumblescan's own rules for the Linux/Mumblehard packer.
 *
 * Written by the mumblescan developers from the instruction semantics of
 * the packer stub (docs/rules.md explains every byte and how these rules
 * relate to ESET's published rule; facts: shared research notes
 * mumblehard-facts.md sections 2.2, 2.3, 8 and 10).
 *
 * The scanner reads meta `severity`: only "malicious" hits make a file
 * malicious; "suspicious" hits flag it for review.
 */

private rule Mumblehard_Small_I386_ELF
{
    meta:
        author = "mumblescan developers"
        description = "32-bit ELF for Intel 80386, small enough to be a Mumblehard stub"
    condition:
        uint32(0) == 0x464c457f        // "\x7fELF"
        and uint8(4) == 1              // EI_CLASS: ELFCLASS32
        and (uint16(18) == 3           // e_machine: EM_386
             or uint16(18) == 6)       // EM_486: Linux runs it as i386 too
        and filesize < 4MB             // real samples are ~10 KB
}

rule Mumblehard_Packer_DecryptLoop : packer
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard packer XOR decrypt loop (key 1..limit, limit grows by step, wraps) in a small i386 ELF"
        reference = "docs/rules.md; mumblehard-facts.md 2.3 and 8"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        // The decrypt routine, in place: ESI = ECX bytes of ciphertext.
        $loop = {
            ( 56 5f | 89 f7 )          // push esi; pop edi  |  mov edi, esi
            39 d3                      // next: cmp ebx, edx   key hit limit?
            75 13                      //       jne xor        (skip 19 bytes)
            81 fa ?? ?? ?? ??          //       cmp edx, WRAP
            75 02                      //       jne grow
            31 d2                      //       xor edx, edx   limit = 0
            81 c2 ?? ?? ?? ??          // grow: add edx, STEP
            31 db                      //       xor ebx, ebx
            43                         //       inc ebx        key = 1
            ac                         // xor:  lodsb
            30 d8                      //       xor al, bl
            aa                         //       stosb
            43                         //       inc ebx        key++
            e2 e2                      //       loop next      (back 30 bytes)
        }

    condition:
        Mumblehard_Small_I386_ELF and $loop
}

rule Mumblehard_Packer_DecryptLoop_Raw : packer raw
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard packer XOR decrypt loop outside a small i386 ELF (carved data, memory, archive member, oversized or foreign-header file)"
        reference = "docs/rules.md; mumblehard-facts.md 2.3 and 8"
        version = "1"
        severity = "suspicious"
        scope = "memory"

    strings:
        $loop = {
            ( 56 5f | 89 f7 )
            39 d3 75 13 81 fa ?? ?? ?? ?? 75 02 31 d2 81 c2 ?? ?? ?? ??
            31 db 43 ac 30 d8 aa 43 e2 e2
        }

    condition:
        // Exclusive with the file rule so each finding is reported once.
        $loop and not Mumblehard_Small_I386_ELF
}

rule Mumblehard_Packer_OSProbe : packer
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard stub OS probe: syscall 13 with Linux and BSD argument passing, then OS byte 3 or 9"
        reference = "docs/rules.md; mumblehard-facts.md 2.2 and 10"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $probe = {
            b8 0d 00 00 00             // mov eax, 13 (time / fchdir)
            31 db                      // xor ebx, ebx
            53 50                      // push ebx; push eax  (BSD args)
            cd 80                      // int 0x80
            [4-32]                     // carry fix-up, stack clean-up, test
            b0 03                      // mov al, 3 (Linux)
            [0-8]
            b0 09                      // mov al, 9 (BSD)
        }
        $probe_swapped = {
            31 db b8 0d 00 00 00 53 50 cd 80 [4-32] b0 03 [0-8] b0 09
        }

    condition:
        Mumblehard_Small_I386_ELF and any of them
}
