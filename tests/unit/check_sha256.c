#include <string.h>

#include "common/sha256.h"
#include "tests/unit/unit.h"

/* The FIPS 180-4 / NIST CAVS examples. */
START_TEST(test_sha256_vectors)
{
	char hex[SHA256_HEX_LEN];
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklm"
	    "klmnlmnomnopnopq";

	sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256_hex(two_blocks, strlen(two_blocks), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_sha256_million_a)
{
	struct sha256 c;
	uint8_t digest[SHA256_DIGEST_LEN];
	char chunk[1000], hex[SHA256_HEX_LEN];
	int i;

	memset(chunk, 'a', sizeof chunk);
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, chunk, sizeof chunk);
	sha256_final(&c, digest);
	sha256_to_hex(digest, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Every split of the input gives the same digest, across the 55/56/64
 * byte padding edges. */
START_TEST(test_sha256_splits)
{
	struct sha256 c;
	uint8_t digest[SHA256_DIGEST_LEN];
	char data[130], whole[SHA256_HEX_LEN], parts[SHA256_HEX_LEN];
	size_t len, cut;

	for (len = 0; len < sizeof data; len++)
		data[len] = (char)('A' + len % 26);
	for (len = 50; len <= sizeof data; len++) {
		sha256_hex(data, len, whole);
		for (cut = 0; cut <= len; cut += 7) {
			sha256_init(&c);
			sha256_update(&c, data, cut);
			sha256_update(&c, data + cut, len - cut);
			sha256_final(&c, digest);
			sha256_to_hex(digest, parts);
			ck_assert_str_eq(parts, whole);
		}
	}
}
END_TEST

/* 55 and 56 bytes: the last lengths that do and do not fit the padding
 * into one block (checked against coreutils sha256sum). */
START_TEST(test_sha256_padding_edges)
{
	char data[64], hex[SHA256_HEX_LEN];

	memset(data, 'a', sizeof data);
	sha256_hex(data, 55, hex);
	ck_assert_str_eq(hex, "9f4390f8d30c2dd92ec9f095b65e2b9a"
	    "e9b0a925a5258e241c9f1e910f734318");
	sha256_hex(data, 56, hex);
	ck_assert_str_eq(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
	    "590ce20f1bde7090ef7970686ec6738a");
	sha256_hex(data, 64, hex);
	ck_assert_str_eq(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209"
	    "f439851db43d0ba5997337df154668eb");
}
END_TEST

static Suite *
sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_sha256_million_a);
	tcase_add_test(tc, test_sha256_splits);
	tcase_add_test(tc, test_sha256_padding_edges);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(sha256_suite)
